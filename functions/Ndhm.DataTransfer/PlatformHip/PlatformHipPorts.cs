namespace Ndhm.DataTransfer.PlatformHip;

/// <summary>
/// Which care contexts the platform holds itself: those it linked at the facility as the HIP of records its own care
/// providers wrote (linking's link source <c>PLATFORM</c>), as opposed to care contexts a HIP partner linked.
/// </summary>
public interface IPlatformHeldCareContexts
{
    /// <param name="patientNumber">The patient's ABHA number, 14 digits.</param>
    /// <returns>The subset of <paramref name="references"/> linked at <paramref name="hipId"/> by the platform.</returns>
    Task<IReadOnlySet<string>> HeldAsync(string patientNumber, string hipId, IReadOnlyCollection<string> references, CancellationToken ct);
}

/// <summary>One provider record the platform holds, as listed (no clinical content read yet).</summary>
public sealed record PlatformRecordEntry(string RecordId, string CareContextReference, string HiType, DateTimeOffset RecordDate);

/// <summary>Who reads a record for a transfer, for the patient's audit trail: the platform as HIP, under the consent artefact.</summary>
public sealed record PlatformRecordReader(string TransactionId, string ConsentArtefactId, string HiuId);

/// <summary>
/// The provider records the platform holds in the patient's health record (the PHR, source <c>PROVIDER</c>).
/// </summary>
public interface IPlatformHipRecords
{
    /// <summary>The records of one care context at <paramref name="hipId"/>, of the given hiTypes (metadata only).</summary>
    Task<IReadOnlyList<PlatformRecordEntry>> ListAsync(string patientNumber, string hipId, string careContextReference, IReadOnlyList<string> hiTypes,
        CancellationToken ct);

    /// <summary>
    /// The record's FHIR bundle as UTF-8 JSON, decrypted; the read is audited on the patient's chain as the platform's
    /// (as HIP) under <paramref name="reader"/>'s consent artefact. Null when the record is gone.
    /// </summary>
    Task<byte[]?> ReadBundleAsync(string patientNumber, string recordId, PlatformRecordReader reader, CancellationToken ct);
}

/// <summary>One entry to push: a care context's bundle, plaintext UTF-8 JSON (encrypted only by the pusher).</summary>
public sealed record PlatformPushEntry(string CareContextReference, string HiType, byte[] BundleUtf8);

/// <summary>What became of one care context's entries at the HIU: delivered (its pages were taken) or not, and why.</summary>
public sealed record PlatformPushResult(string CareContextReference, bool Delivered, string? Description);

/// <summary>
/// Pushes entries to the transaction's HIU as a HIP does (ABDM <c>DataNotification</c> to its <c>dataPushUrl</c>): fresh
/// key material for this transfer against the HIU's, each entry encrypted and checksummed (SHA-256), paged, the push
/// token as bearer. Pages are numbered from 1 in the given order, so pushing the same entries again pushes the same
/// pages (the HIU takes each page once by transaction and page number).
/// </summary>
public interface IPlatformHipPusher
{
    Task<IReadOnlyList<PlatformPushResult>> PushAsync(HiTransaction transaction, HipTransfer hip, IReadOnlyList<PlatformPushEntry> entries,
        CancellationToken ct);
}

/// <summary>
/// Whether the HIU has been told the transaction id (its on-request delivered, or given up): a HIP pushing earlier would
/// reach a HIU that refuses the push as belonging to no transaction it knows.
/// </summary>
public interface IHiuTransactionNotice
{
    Task<bool> HiuKnowsAsync(HiTransaction transaction, CancellationToken ct);
}
