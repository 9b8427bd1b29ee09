using Ndhm.Core.Records;
using Ndhm.Linking;
using Ndhm.Phr;
using Ndhm.Phr.Records;

namespace Ndhm.Infrastructure.Phr;

/// <summary>
/// <see cref="IProviderRecords"/> over the PHR and linking capabilities: the record goes into the patient's timeline
/// (<see cref="PhrRecordService.AddProviderRecordAsync"/>, idempotent by its name-based id), then, when asked, its care
/// context is linked at the facility (<see cref="PlatformCareContextLinking"/>, idempotent by reference). In that order,
/// so a failure after the first step is completed by the caller's retry without a link pointing at nothing.
/// </summary>
public sealed class PhrProviderRecords(PhrRecordService records, PlatformCareContextLinking linking) : IProviderRecords
{
    public async Task AddAsync(ProviderRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        await records.AddProviderRecordAsync(new ProviderHealthRecord(record.PatientNumber, record.FacilityId, record.CareContextReference,
            record.HiType, record.BundleJson, record.RecordDate, record.Display, record.Author), ct).ConfigureAwait(false);
        if (!record.LinkAsCareContext) return;
        await linking.LinkAsync(PhrRecordService.PatientNumber(record.PatientNumber), record.FacilityId,
            new CareContext(record.CareContextReference, record.Display, [record.HiType]), ct).ConfigureAwait(false);
    }
}
