using Ndhm.Analytics;
using Ndhm.HealthId.Accounts;
using Ndhm.Privacy.Export;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Gives a fact about a person (<see cref="AnalyticsFact.Patient"/>) the person's state, district, age band and gender
/// from the codes kept at enrolment (<see cref="IAnalyticsPersons"/>), where its source did not know them, and drops the
/// ABHA number before the fact goes on: the outbox never sees it. One point read per fact; a person enrolled before the
/// codes were kept (or on another platform) stays <c>unknown</c>.
/// </summary>
public sealed class PersonCodedFacts(IAnalyticsFacts inner, IAnalyticsPersons persons, AnalyticsPersonKeys keys) : IAnalyticsFacts
{
    public async Task RecordAsync(AnalyticsFact fact, CancellationToken ct)
    {
        if (fact.Patient is { } patient)
        {
            var dimensions = new Dictionary<string, string?>(fact.Dimensions, StringComparer.Ordinal);
            if (await persons.FindAsync(await keys.KeyAsync(patient, ct), ct) is { } codes)
            {
                foreach (var (name, value) in codes.Dimensions(fact.Day))
                {
                    if (!(dimensions.TryGetValue(name, out var own) && own is not null)) dimensions[name] = value;
                }
            }

            fact = fact with { Dimensions = dimensions, Patient = null };
        }

        await inner.RecordAsync(fact, ct);
    }

    /// <summary>The codes of an account as Health ID holds it in plain text.</summary>
    public static PersonCodes CodesOf(AbhaAccount account) =>
        new(Demography.State(account.Address?.State), Demography.District(account.Address?.PinCode), account.DateOfBirth?.Year,
            account.DateOfBirth?.Month, account.Gender?.ToString());
}

/// <summary>An erased account's codes go with it (the person key is derived from the number being erased).</summary>
public sealed class AnalyticsPersonErasure(IAnalyticsPersons persons, AnalyticsPersonKeys keys) : IPatientErasureStep
{
    public async Task EraseAsync(PatientDataSubject subject, CancellationToken ct) =>
        await persons.ForgetAsync(await keys.KeyAsync(subject.AbhaNumber, ct), ct);
}
