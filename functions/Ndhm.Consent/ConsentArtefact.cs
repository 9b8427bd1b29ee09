namespace Ndhm.Consent;

/// <summary>
/// ABDM's <c>consentDetail</c>: what one HIP may share with the HIU, and under which permission. Immutable once signed;
/// the data-transfer capability enforces exactly this (HIP, care contexts, hiTypes, date range, erase time).
/// </summary>
public sealed record ConsentArtefactDetail(
    string SchemaVersion,
    string ConsentId,
    DateTimeOffset CreatedAt,
    IdReference Patient,
    IReadOnlyList<CareContextRef> CareContexts,
    ConsentPurpose Purpose,
    IdReference Hip,
    IdReference Hiu,
    IdReference ConsentManager,
    Requester Requester,
    IReadOnlyList<string> HiTypes,
    Permission Permission)
{
    public const string Version = "v0.5";
}

/// <summary>An artefact with its compact JWS (ES256, <c>kid</c> of the platform JWKS) over the detail's canonical JSON.</summary>
public sealed record SignedArtefact(ConsentArtefactDetail Detail, string Signature)
{
    public string Id => Detail.ConsentId;

    public string HipId => Detail.Hip.Id;
}

/// <summary>Who made a decision: the patient, a nominee for the patient, the HIU, or the platform (expiry, emergency).</summary>
/// <param name="Kind"><c>patient</c>, <c>nominee</c>, <c>hiu</c> or <c>system</c>.</param>
/// <param name="OnBehalfOf">For a nominee: the patient (ABHA number) acted for.</param>
public sealed record ConsentActor(string Subject, string Kind, string? OnBehalfOf = null)
{
    public static ConsentActor System(string name) => new("system:" + name, "system");
}

/// <summary>
/// One step of a consent's life, signed (a status change is a new signed statement, never an edit of an artefact).
/// <see cref="Notified"/> turns true once its notifications were handed to the callback machinery.
/// </summary>
public sealed record ConsentEvent(int Seq, ConsentStatus Status, DateTimeOffset At, ConsentActor Actor, string? Reason, string Signature,
    bool Notified);
