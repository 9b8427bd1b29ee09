using System.Text.Json.Serialization;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Nominees;

/// <summary>How the nominee is related to the patient.</summary>
public enum NomineeRelationship
{
    [JsonStringEnumMemberName("SPOUSE")] Spouse,
    [JsonStringEnumMemberName("PARENT")] Parent,
    [JsonStringEnumMemberName("CHILD")] Child,
    [JsonStringEnumMemberName("SIBLING")] Sibling,
    [JsonStringEnumMemberName("OTHER")] Other,
}

/// <summary>Why a nominee may act: the events DPDP Act s.14 names.</summary>
public enum NominationActivationReason
{
    [JsonStringEnumMemberName("DEATH")] Death,
    [JsonStringEnumMemberName("INCAPACITY")] Incapacity,
}

/// <summary>Why an activated nomination stops being active again.</summary>
public enum NominationDeactivationReason
{
    /// <summary>The patient regained capacity.</summary>
    [JsonStringEnumMemberName("RECOVERED")] Recovered,

    /// <summary>The activation was a mistake (wrong patient, evidence withdrawn).</summary>
    [JsonStringEnumMemberName("ENTERED_IN_ERROR")] EnteredInError,
}

public enum NominationStatus
{
    /// <summary>Named by the patient; the nominee may not act yet.</summary>
    [JsonStringEnumMemberName("NOMINATED")] Nominated,

    /// <summary>Activated by a platform admin on evidence of death or incapacity: the nominee may act.</summary>
    [JsonStringEnumMemberName("ACTIVE")] Active,
}

/// <summary>Who activated (or deactivated) a nomination, why, on what evidence, when.</summary>
public sealed record NominationDecision(string Reason, string? EvidenceReference, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>
/// A patient's nominee (DPDP Act 2023 s.14): another ABHA holder who may exercise the patient's rights on the
/// patient's death or incapacity. The patient names them by ABHA address; the nomination is inert
/// (<see cref="NominationStatus.Nominated"/>) until a platform admin activates it on evidence, and naming someone
/// else, or the same person again, starts over as <see cref="NominationStatus.Nominated"/>. Stored as one document per
/// patient, encrypted with the patient's data key.
/// </summary>
/// <param name="NomineeAbhaNumber">Resolved from the address when named: what the nominee's tokens carry. Not shown
/// to the patient (it is the nominee's identifier, not the patient's data).</param>
public sealed record Nomination(
    AbhaNumber PatientAbhaNumber,
    AbhaAddress NomineeAbhaAddress,
    AbhaNumber NomineeAbhaNumber,
    string NomineeName,
    NomineeRelationship Relationship,
    string? NomineeMobile,
    NominationStatus Status,
    NominationDecision? Activation,
    NominationDecision? LastDeactivation,
    DateTimeOffset NominatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore]
    public bool IsActive => Status == NominationStatus.Active;

    public static Nomination Name(AbhaNumber patient, NomineeDetails nominee, AbhaNumber nomineeNumber, DateTimeOffset at) =>
        new(patient, nominee.AbhaAddress, nomineeNumber, nominee.Name, nominee.Relationship, nominee.Mobile,
            NominationStatus.Nominated, null, null, at, at);

    public Nomination Activate(NominationActivationReason reason, string evidenceReference, string by, DateTimeOffset at) =>
        this with
        {
            Status = NominationStatus.Active,
            Activation = new NominationDecision(NomineeRules.Code(reason), evidenceReference, by, at),
            UpdatedAt = Later(at),
        };

    public Nomination Deactivate(NominationDeactivationReason reason, string? evidenceReference, string by, DateTimeOffset at) =>
        this with
        {
            Status = NominationStatus.Nominated,
            Activation = null,
            LastDeactivation = new NominationDecision(NomineeRules.Code(reason), evidenceReference, by, at),
            UpdatedAt = Later(at),
        };

    private DateTimeOffset Later(DateTimeOffset at) => at > UpdatedAt ? at : UpdatedAt.AddTicks(1);
}

/// <summary>What the patient says about their nominee (checked: <see cref="NomineeRules"/>).</summary>
public sealed record NomineeDetails(AbhaAddress AbhaAddress, string Name, NomineeRelationship Relationship, string? Mobile);

/// <summary>
/// A nominee acting for a patient, as <see cref="INomineeAuthority"/> vouches for it: the audit names both
/// ("nominee X for patient Y").
/// </summary>
public sealed record NomineeActing(
    AbhaNumber PatientAbhaNumber,
    AbhaNumber NomineeAbhaNumber,
    AbhaAddress NomineeAbhaAddress,
    NomineeRelationship Relationship,
    string Reason,
    DateTimeOffset ActivatedAt)
{
    /// <summary>For audit entries: <c>nominee ravi.kumar@sbx (91…) for patient 91…</c>.</summary>
    public string Describe() => $"nominee {NomineeAbhaAddress.Value} ({NomineeAbhaNumber.Digits}) for patient {PatientAbhaNumber.Digits}";
}
