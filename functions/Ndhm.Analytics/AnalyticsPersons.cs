namespace Ndhm.Analytics;

/// <summary>
/// A person's demographic codes as analytics counts them: ISO state code, PIN sorting district, year and month of birth,
/// gender. Codes only, no identity; kept from the account (Health ID, where they are plain text at enrolment or a
/// profile change) so that later events about the same person (a link, a consent, a consultation) are counted by the
/// same state, district, age band and gender without any capability decrypting the person's data for analytics.
/// </summary>
public sealed record PersonCodes(string? State, string? District, int? BirthYear, int? BirthMonth, string? Gender)
{
    /// <summary>The common dimensions these codes give a fact on <paramref name="day"/> (age from year and month: the
    /// band can be a month early or late around a birthday).</summary>
    public IEnumerable<(string Name, string? Value)> Dimensions(DateOnly day)
    {
        yield return (AnalyticsDefinitions.State, State);
        yield return (AnalyticsDefinitions.District, District);
        yield return ("ageBand", BirthYear is { } year ? Demography.AgeBand(year, BirthMonth, 1, day) : null);
        yield return ("gender", Gender);
    }
}

/// <summary>
/// The analytics store's demographic codes per person, keyed by the person's analytics key (a keyed hash of the ABHA
/// number, never the number). Written where the account is written; read when a fact about the person is recorded;
/// removed when the account is erased.
/// </summary>
public interface IAnalyticsPersons
{
    Task RememberAsync(string personKey, PersonCodes codes, CancellationToken ct);

    Task<PersonCodes?> FindAsync(string personKey, CancellationToken ct);

    Task ForgetAsync(string personKey, CancellationToken ct);
}
