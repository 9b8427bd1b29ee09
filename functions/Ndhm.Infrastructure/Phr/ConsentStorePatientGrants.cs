using Ndhm.Consent;
using Ndhm.Phr.Consents;

namespace Ndhm.Infrastructure.Phr;

/// <summary>The PHR's view of the consent store: each artefact of the patient's GRANTED consents whose grant has not ended.</summary>
public sealed class ConsentStorePatientGrants(IConsentStore consents) : IPatientConsentGrants
{
    private const int MaxGrants = 200;

    public async Task<IReadOnlyList<ConsentGrant>> ListActiveAsync(string patientNumber, DateTimeOffset now, CancellationToken ct)
    {
        var records = await consents.ListForPatientAsync(patientNumber, ConsentStatus.Granted, emergencyOnly: false, MaxGrants, ct).ConfigureAwait(false);
        return records
            .Where(r => r.Status == ConsentStatus.Granted && r.GrantedUntil is { } until && until > now)
            .SelectMany(r => r.Artefacts.Select(a => new ConsentGrant(a.Id, r.Id, a.Detail.Hiu.Id, a.Detail.Requester.Name, a.HipId,
                a.Detail.Purpose.Code, a.Detail.Purpose.Text, a.Detail.HiTypes, a.Detail.Permission.DateRange.From, a.Detail.Permission.DateRange.To,
                a.Detail.Permission.AccessMode, r.GrantedUntil!.Value, a.Detail.Permission.DataEraseAt, r.IsEmergency)))
            .Where(g => g.DataEraseAt > now)
            .OrderBy(g => g.GrantedUntil)
            .ToList();
    }
}
