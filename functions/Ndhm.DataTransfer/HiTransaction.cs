using Ndhm.Consent;

namespace Ndhm.DataTransfer;

/// <summary>ABDM's session statuses of a health-information transaction, plus the platform's closing outcomes.</summary>
public enum TransferStatus
{
    /// <summary>Accepted from the HIU; the HIPs are being asked (ABDM <c>REQUESTED</c>).</summary>
    Requested,

    /// <summary>Every care context DELIVERED.</summary>
    Transferred,

    /// <summary>Some care contexts DELIVERED, some ERRORED: usable, with its gaps named.</summary>
    Partial,

    /// <summary>Nothing DELIVERED (HIPs errored or silent, or the consent was revoked or expired).</summary>
    Failed,
}

/// <summary>One care context's outcome (ABDM <c>hiStatus</c>).</summary>
public enum CareContextStatus
{
    Pending,
    Delivered,
    Errored,
}

/// <summary>
/// One care context of one HIP in a transaction, with the hiTypes the artefact asked of it. <paramref name="PlatformHeld"/>:
/// the platform itself holds its records (a care provider wrote them on the platform, which linked the care context at
/// the facility, link source PLATFORM), so the platform answers for it as the HIP; the facility's partner never does.
/// </summary>
public sealed record CareContextTransfer(
    string HipId,
    string PatientReference,
    string CareContextReference,
    IReadOnlyList<string> HiTypes,
    CareContextStatus Status,
    string? ErrorCode = null,
    string? Description = null,
    DateTimeOffset? At = null,
    CareContextStatus? HiuStatus = null,
    bool PlatformHeld = false);

/// <summary>
/// One HIP asked for data: which artefact it serves, which partner answers for it, its acknowledgement.
/// <paramref name="PartnerAsked"/>: whether its partner gets a hip/request (false when the platform holds every care
/// context of the HIP, or no partner serves it: <paramref name="PartnerId"/> is then <see cref="PlatformHipPartner.Id"/>).
/// </summary>
public sealed record HipTransfer(string HipId, string ConsentArtefactId, string PartnerId, bool Acknowledged = false, string? ErrorCode = null,
    bool Notified = false, bool PartnerAsked = true);

/// <summary>The platform as the HIP of records its own care providers wrote (linking's <c>PlatformHip.PartnerId</c>).</summary>
public static class PlatformHipPartner
{
    public const string Id = "ndhm-platform";
}

/// <summary>
/// A health-information transaction (ABDM <c>transactionId</c>): one HIU request against one consent artefact, the HIPs
/// asked and each care context's outcome. One document, changed only by compare-and-swap (<see cref="ITransferStore"/>).
/// </summary>
public sealed record HiTransaction
{
    public required string Id { get; init; }

    /// <summary>The HIU partner (client id) that asked; only it (and the patient, and platform admins) sees the transaction.</summary>
    public required string HiuPartnerId { get; init; }

    /// <summary>The HIU id named in the artefact (X-HIU-ID of callbacks).</summary>
    public required string HiuId { get; init; }

    /// <summary>The HIU's REQUEST-ID of cm/request (its on-request answers it).</summary>
    public required string RequestId { get; init; }

    /// <summary>The patient's ABHA number (data key, audit chain) and ABHA address (what the HIU knows).</summary>
    public required string PatientNumber { get; init; }

    public required string PatientAddress { get; init; }

    public required string ConsentRequestId { get; init; }

    public required string ConsentArtefactId { get; init; }

    public required string PurposeCode { get; init; }

    public required DateRange DateRange { get; init; }

    public required string DataPushUrl { get; init; }

    /// <summary>The HIU's <c>keyMaterial</c> as JSON, passed to the HIPs unchanged (the platform never holds a private key).</summary>
    public required string KeyMaterialJson { get; init; }

    public required DateTimeOffset DataEraseAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required TransferStatus Status { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Why a transfer stopped early (consent revoked or expired), else null.</summary>
    public string? StoppedBecause { get; init; }

    public IReadOnlyList<HipTransfer> Hips { get; init; } = [];

    /// <summary>Whether the patient has been told how the closed transfer ended (once per transaction).</summary>
    public bool PatientTold { get; init; }

    public IReadOnlyList<CareContextTransfer> CareContexts { get; init; } = [];

    public bool IsClosed => Status != TransferStatus.Requested;

    public bool InvolvesHip(string hipId) => Hips.Any(h => h.HipId == hipId);

    public bool HipIsDone(string hipId) => CareContexts.Where(c => c.HipId == hipId).All(c => c.Status != CareContextStatus.Pending);

    /// <summary>The HIPs with care contexts the platform holds itself (it serves them as the HIP).</summary>
    public IReadOnlyList<string> PlatformServedHips() => CareContexts.Where(c => c.PlatformHeld).Select(c => c.HipId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The outcome once nothing is pending: all delivered, some, or none.</summary>
    public TransferStatus Outcome()
    {
        var delivered = CareContexts.Count(c => c.Status == CareContextStatus.Delivered);
        if (CareContexts.Count > 0 && delivered == CareContexts.Count) return TransferStatus.Transferred;
        return delivered > 0 ? TransferStatus.Partial : TransferStatus.Failed;
    }

    /// <summary>
    /// A HIP's report (ABDM <c>statusNotification</c>): each listed care context of that HIP still pending takes the
    /// reported status; the HIP's other pending care contexts are ERRORED (its notification is its last word).
    /// Outcomes already recorded never change, so a repeated notification changes nothing. A partner's report never
    /// touches the care contexts the platform holds (it does not hold them), and the platform's only those.
    /// </summary>
    public HiTransaction WithHipReport(string hipId, IReadOnlyDictionary<string, (bool Delivered, string? Description)> statuses, DateTimeOffset at,
        bool fromPlatform = false) =>
        this with
        {
            CareContexts = CareContexts.Select(c =>
            {
                if (c.HipId != hipId || c.Status != CareContextStatus.Pending || c.PlatformHeld != fromPlatform) return c;
                return statuses.TryGetValue(c.CareContextReference, out var s)
                    ? c with { Status = s.Delivered ? CareContextStatus.Delivered : CareContextStatus.Errored, Description = s.Description, At = at,
                        ErrorCode = s.Delivered ? null : DataTransferErrors.HipReportedError }
                    : c with { Status = CareContextStatus.Errored, ErrorCode = DataTransferErrors.NotReported, At = at,
                        Description = "The HIP's notification did not report this care context." };
            }).ToList(),
        };

    /// <summary>
    /// Every still-pending care context (of <paramref name="hipId"/>, or of all HIPs) ERRORED with <paramref name="code"/>;
    /// with <paramref name="partnerHeldOnly"/> (a partner's refusal) those the platform holds stay pending.
    /// </summary>
    public HiTransaction WithPendingErrored(string? hipId, string code, string description, DateTimeOffset at, bool partnerHeldOnly = false) =>
        this with
        {
            CareContexts = CareContexts.Select(c => c.Status == CareContextStatus.Pending && (hipId is null || c.HipId == hipId) && !(partnerHeldOnly && c.PlatformHeld)
                ? c with { Status = CareContextStatus.Errored, ErrorCode = code, Description = description, At = at }
                : c).ToList(),
        };

    public HiTransaction WithHip(string hipId, Func<HipTransfer, HipTransfer> change) =>
        this with { Hips = Hips.Select(h => h.HipId == hipId ? change(h) : h).ToList() };

    /// <summary>The HIU's own receipt report (ABDM <c>hiStatus</c> OK / ERRORED) recorded beside the HIP's.</summary>
    public HiTransaction WithHiuReport(IReadOnlyDictionary<string, bool> received) =>
        this with
        {
            CareContexts = CareContexts.Select(c => received.TryGetValue(c.CareContextReference, out var ok)
                ? c with { HiuStatus = ok ? CareContextStatus.Delivered : CareContextStatus.Errored }
                : c).ToList(),
        };

    public HiTransaction Close(DateTimeOffset at, string? stoppedBecause = null) =>
        IsClosed ? this : this with { Status = Outcome(), ClosedAt = at, StoppedBecause = stoppedBecause ?? StoppedBecause };
}

/// <summary>ABDM names of the statuses.</summary>
public static class TransferStatuses
{
    public static string Name(TransferStatus status) => status.ToString().ToUpperInvariant();

    public static string Name(CareContextStatus status) => status switch
    {
        CareContextStatus.Delivered => "DELIVERED",
        CareContextStatus.Errored => "ERRORED",
        _ => "PENDING",
    };
}

/// <summary>The HIU requests seen against one artefact (for its <c>frequency</c>): transaction ids and when.</summary>
public sealed record ArtefactUsage(string ConsentArtefactId, IReadOnlyList<ArtefactUse> Uses);

public sealed record ArtefactUse(string TransactionId, DateTimeOffset At);
