using Ndhm.Consent;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Consent's view of Linking: a care context is linked when the patient's links at that HIP hold its reference under
/// the same HIP patient reference (one audited read of the patient's links per HIP).
/// </summary>
public sealed class LinkedConsentCareContexts(ILinkedCareContexts links) : IConsentCareContexts
{
    public async Task<IReadOnlyList<CareContextRef>> NotLinkedAsync(string patientNumber, string hipId, IReadOnlyList<CareContextRef> contexts,
        CancellationToken ct)
    {
        var linked = (await links.ListAsync(patientNumber, hipId, ct))
            .Select(l => new CareContextRef(l.PatientReference, l.CareContextReference))
            .ToHashSet();
        return contexts.Where(c => !linked.Contains(c)).ToList();
    }
}
