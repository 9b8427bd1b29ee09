using Ndhm.Core.Concurrency;

namespace Ndhm.DataTransfer;

/// <summary>Where transactions live (Cosmos; the record encrypted under the patient's data key), changed with If-Match.</summary>
public interface ITransferStore
{
    /// <summary>Create-only: false when a transaction with this id exists already (a retried request).</summary>
    Task<bool> TryCreateAsync(HiTransaction transaction, CancellationToken ct);

    Task<Versioned<HiTransaction>?> FindAsync(string transactionId, CancellationToken ct);

    /// <summary>If-Match replace: the new ETag, or DomainException PreconditionFailed <c>CONCURRENT_UPDATE</c>.</summary>
    Task<string> ReplaceAsync(HiTransaction transaction, string ifMatch, CancellationToken ct);

    Task<Versioned<ArtefactUsage>?> FindUsageAsync(string artefactId, CancellationToken ct);

    /// <summary>Create (<paramref name="ifMatch"/> null) or If-Match replace; false when someone else changed it first.</summary>
    Task<bool> TrySaveUsageAsync(ArtefactUsage usage, string? ifMatch, CancellationToken ct);
}

/// <summary>
/// The ABDM messages of a transfer, sent through the callback machinery (recorded, retried, one delivery per id):
/// <c>/v0.5/health-information/hip/request</c> to a HIP's bridge, and the outcome to the HIU's bridge.
/// </summary>
public interface ITransferMessenger
{
    /// <summary>Where the HIU is told its request's transaction id; the HIPs are asked only once that reply is settled.</summary>
    const string HiuOnRequestPath = "/v0.5/health-information/hiu/on-request";

    /// <summary>
    /// hip/request to <paramref name="hip"/>; <paramref name="requestId"/> derives from the transaction, so a repeat is the
    /// same delivery. Held until the HIU's on-request (<see cref="HiuOnRequestPath"/>) is delivered or given up: a HIP
    /// that pushes at once must not reach a HIU that has not yet learnt the transaction id (it would refuse the push).
    /// </summary>
    Task SendHipRequestAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct);

    /// <summary>Tells the HIU what became of one HIP's care contexts (ABDM <c>HealthInformationNotification</c> shape).</summary>
    Task TellHiuAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct);
}

/// <summary>
/// What the patient is told when a HIU's transfer under their consent closes: who received what from whom, so a
/// transfer they did not expect is noticed (and the consent revoked) without opening the app.
/// </summary>
public sealed record TransferClosedNotice(string TransactionId, string HiuId, string PurposeCode, string ConsentRequestId, string Status,
    int Delivered, int CareContexts, IReadOnlyList<string> HipIds);

/// <summary>Port: tells the patient (their notification channel; SMS in the sandbox) that a HIU's transfer closed.</summary>
public interface ITransferPatientNotifier
{
    Task TellClosedAsync(string patientNumber, TransferClosedNotice notice, CancellationToken ct);
}

/// <summary>The facility ids a partner serves (Gateway's partner directory), to check who may speak for a HIP.</summary>
public interface ITransferPartners
{
    Task<bool> ServesAsync(string partnerId, string hipId, CancellationToken ct);

    /// <summary>The partner answering for facility <paramref name="hipId"/>, or null when none serves it.</summary>
    Task<string?> PartnerForHipAsync(string hipId, CancellationToken ct);
}
