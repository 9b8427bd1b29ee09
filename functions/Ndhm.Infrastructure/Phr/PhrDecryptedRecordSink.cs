using Ndhm.Consent;
using Ndhm.DataTransfer;
using Ndhm.Phr;
using Ndhm.Phr.Records;

namespace Ndhm.Infrastructure.Phr;

/// <summary>
/// The platform acting as the patient's own HIU (purpose PATRQT, SELF): each decrypted, validated record the HIU-side
/// receiver hands over is stored in the patient's health record through <see cref="PhrRecordService"/> (encrypted at
/// rest, audited, idempotent by transaction, care context and hiType, erased at its dataEraseAt). The patient is the
/// consent's patient, found by ABHA address; a record for an address no live account holds is refused.
/// </summary>
/// <remarks>
/// Registered for the platform's own HIU (<see cref="PatientPullServices"/>): the data-push endpoint
/// (<c>POST /api/v1/phr/data-push</c>) runs <c>HiuDataReceiver</c> with this sink.
/// </remarks>
public sealed class PhrDecryptedRecordSink(PhrRecordService records, IConsentPatients patients) : IDecryptedRecordSink
{
    public async Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        var number = await patients.FindNumberAsync(record.PatientId, ct).ConfigureAwait(false)
                     ?? throw new InvalidOperationException("No live ABHA account holds the consent's patient address; the record is not kept.");
        await records.AddPulledRecordAsync(new PulledHealthRecord(number, record.ConsentArtefactId, record.TransactionId, record.HipId,
            record.CareContextReference, record.HiType, record.FhirBundleJson, record.DataEraseAt), ct).ConfigureAwait(false);
    }
}
