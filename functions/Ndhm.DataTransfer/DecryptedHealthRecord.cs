namespace Ndhm.DataTransfer;

/// <summary>
/// One health record a HIU received, decrypted and validated: what the HIU side hands to its record store. The
/// bundle is plaintext here; the store must keep it encrypted at rest and erase it at <see cref="DataEraseAt"/>.
/// </summary>
/// <param name="PatientId">The patient's ABHA address as the consent names them.</param>
/// <param name="HiType">The ABDM hiType of the bundle's Composition (OPConsultation, Prescription...).</param>
public sealed record DecryptedHealthRecord(
    string TransactionId,
    string ConsentArtefactId,
    string PatientId,
    string HipId,
    string CareContextReference,
    string HiType,
    string FhirBundleJson,
    DateTimeOffset DataEraseAt);

/// <summary>Where the HIU side puts each decrypted, validated record (the PHR record store, a partner's own store).</summary>
public interface IDecryptedRecordSink
{
    /// <summary>Called at most once per transaction, page and entry when the pushes are retried; must itself be idempotent on a crash retry.</summary>
    Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct);
}
