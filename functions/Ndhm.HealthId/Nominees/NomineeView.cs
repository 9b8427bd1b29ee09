namespace Ndhm.HealthId.Nominees;

/// <summary>
/// The nomination as the patient (and an admin) sees it: the nominee's ABHA address, name, relationship and mobile, the
/// status and the decisions. Not the nominee's ABHA number: that is the nominee's identifier, not the patient's data.
/// </summary>
public sealed record NomineeView(
    string AbhaAddress,
    string Name,
    NomineeRelationship Relationship,
    string? Mobile,
    NominationStatus Status,
    NominationDecision? Activation,
    NominationDecision? LastDeactivation,
    DateTimeOffset NominatedAt,
    DateTimeOffset UpdatedAt)
{
    public static NomineeView From(Nomination n) => new(n.NomineeAbhaAddress.Value, n.NomineeName, n.Relationship, n.NomineeMobile, n.Status,
        n.Activation, n.LastDeactivation, n.NominatedAt, n.UpdatedAt);
}
