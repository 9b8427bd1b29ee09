using Ndhm.Analytics;
using Ndhm.Core.Concurrency;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Numbers;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Reports each new ABHA account as an enrolment fact (assisted when a health worker made it) at the moment the
/// account, still in plain text, is handed to the store: age band, gender, state code and PIN sorting district; never
/// the number, name or address. The fact id derives from the ABHA number's keyed hash (<see cref="AnalyticsPersonKeys"/>), so a retried enrolment (the same number
/// is reused, see <see cref="AbhaEnrolmentService"/>) is counted once. Recorded before the account is written: a
/// fact-store failure fails the step, which the person repeats. It also keeps the account's demographic codes under
/// the person key (<see cref="IAnalyticsPersons"/>), again at every change of the account, so later facts about the
/// person carry them (<see cref="PersonCodedFacts"/>).
/// </summary>
public sealed class EnrolmentFacts(IAbhaAccountStore inner, IAnalyticsFacts facts, TimeProvider time, AnalyticsPersonKeys persons,
    IAnalyticsPersons codes) : IAbhaAccountStore
{
    public async Task<string> CreateAsync(AbhaAccount account, CancellationToken ct)
    {
        var personKey = await persons.KeyAsync(account.AbhaNumber.Digits, ct);
        await facts.RecordAsync(FactOf(account, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), personKey), ct);
        await codes.RememberAsync(personKey, PersonCodedFacts.CodesOf(account), ct);
        return await inner.CreateAsync(account, ct);
    }

    public static AnalyticsFact FactOf(AbhaAccount account, DateOnly day, string personKey)
    {
        var measure = account.AssistedBy is null ? "enrolments" : "assisted-enrolments";
        var dob = account.DateOfBirth;
        return new AnalyticsFact(AnalyticsFactIds.For(measure, personKey), measure, day, new Dictionary<string, string?>
        {
            ["state"] = Demography.State(account.Address?.State),
            ["district"] = Demography.District(account.Address?.PinCode),
            ["ageBand"] = dob is null ? null : Demography.AgeBand(dob.Year, dob.Month, dob.Day, day),
            ["gender"] = account.Gender?.ToString(),
            ["method"] = account.KycStatus == KycStatus.Verified ? "aadhaar-otp" : "mobile",
        }, FacilityId: account.AssistedBy?.FacilityId);
    }

    public Task<Versioned<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct) => inner.FindAsync(number, ct);

    public async Task<string> ReplaceAsync(AbhaAccount account, string ifMatch, CancellationToken ct)
    {
        var etag = await inner.ReplaceAsync(account, ifMatch, ct);
        // After the write: a lost If-Match race must not leave the loser's codes behind.
        await codes.RememberAsync(await persons.KeyAsync(account.AbhaNumber.Digits, ct), PersonCodedFacts.CodesOf(account), ct);
        return etag;
    }

    public Task<IReadOnlyList<AbhaNumber>> FindByMobileHashAsync(string mobileHash, CancellationToken ct) => inner.FindByMobileHashAsync(mobileHash, ct);

    public Task<IReadOnlyList<AbhaNumber>> FindByDemographicHashAsync(string demographicHash, CancellationToken ct) =>
        inner.FindByDemographicHashAsync(demographicHash, ct);

    public Task<IReadOnlyList<AbhaNumber>> FindByDemographicBlockAsync(string blockHash, CancellationToken ct) =>
        inner.FindByDemographicBlockAsync(blockHash, ct);
}
