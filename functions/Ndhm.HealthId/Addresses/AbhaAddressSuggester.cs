using Ndhm.HealthId.Accounts;
using System.Text;

namespace Ndhm.HealthId.Addresses;

/// <summary>
/// Suggests ABHA addresses from a person's name and birth year, as ABDM's <c>enrol/suggestion</c> does
/// (<c>abhaAddressList</c>). The candidates are deterministic for the same inputs, always valid, and never
/// taken: the caller supplies what is taken through <see cref="IAbhaAddressAvailability"/> or a predicate.
/// </summary>
public sealed class AbhaAddressSuggester(AbhaAddressOptions options)
{
    public const int DefaultCount = 5;

    /// <summary>Upper bound on the candidates looked at, so a crowded name cannot make us loop.</summary>
    public const int MaxCandidates = 200;

    private const int Batch = 20;

    /// <summary>Every candidate, best first, without regard to availability (at most <see cref="MaxCandidates"/>).</summary>
    public IEnumerable<AbhaAddress> Candidates(string firstName, string? lastName, int birthYear)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in RawHandles(Letters(firstName), Letters(lastName ?? ""), birthYear))
        {
            if (seen.Count >= MaxCandidates) yield break;
            if (AbhaAddress.WhyInvalidHandle(handle) is not null || !seen.Add(handle)) continue;
            yield return AbhaAddress.Parse(handle, options.Suffix);
        }
    }

    /// <summary>Up to <paramref name="count"/> free candidates, asking <paramref name="availability"/> in batches.</summary>
    /// <summary>Suggestions for an account's holder (ACCOUNT_DELETED once it is erased).</summary>
    public Task<IReadOnlyList<AbhaAddress>> SuggestAsync(AbhaAccount account, IAbhaAddressAvailability availability, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.EnsureNotDeleted();
        // Every enrolment records a name and a birth date; only an erasure removes them.
        if (account.Name is not { } name || account.DateOfBirth is not { } birth) throw HealthIdErrors.AbhaDeleted();
        return SuggestAsync(name.FirstName, name.LastName, birth.Year, availability, ct);
    }

    public async Task<IReadOnlyList<AbhaAddress>> SuggestAsync(string firstName, string? lastName, int birthYear,
        IAbhaAddressAvailability availability, CancellationToken ct, int count = DefaultCount)
    {
        var result = new List<AbhaAddress>(count);
        foreach (var batch in Candidates(firstName, lastName, birthYear).Chunk(Batch))
        {
            var taken = await availability.FindTakenAsync(batch, ct).ConfigureAwait(false);
            foreach (var candidate in batch)
            {
                if (taken.Contains(candidate)) continue;
                result.Add(candidate);
                if (result.Count == count) return result;
            }
        }
        return result;
    }

    /// <summary>Up to <paramref name="count"/> candidates for which <paramref name="isTaken"/> is false.</summary>
    public IReadOnlyList<AbhaAddress> Suggest(string firstName, string? lastName, int birthYear,
        Func<AbhaAddress, bool> isTaken, int count = DefaultCount) =>
        Candidates(firstName, lastName, birthYear).Where(a => !isTaken(a)).Take(count).ToList();

    private static IEnumerable<string> RawHandles(string first, string last, int year)
    {
        // A name in a non-Latin script leaves no letters to build from; the handle still has to start with one.
        if (first.Length == 0)
        {
            first = last.Length > 0 ? last : "abha";
            last = "";
        }
        var yyyy = year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        var yy = yyyy[^2..];

        if (last.Length > 0)
        {
            yield return Fit(first, ".", last, "");
            yield return Fit(first, "_", last, "");
            yield return Fit(first, "", last, yyyy);
            yield return Fit(first, ".", last, yyyy);
            yield return Fit(first, "_", last, yyyy);
            yield return Fit(first, ".", last, yy);
            yield return Fit(last, ".", first, "");
            yield return Fit(last, ".", first, yyyy);
            yield return Fit(first[..1], ".", last, yyyy);
        }
        yield return Fit(first, "", "", yyyy);
        yield return Fit(first, ".", "", yyyy);
        yield return Fit(first, "_", "", yyyy);

        // Numbered variants once the natural forms are gone: ravi.kumar1991.2, ...
        var stem = last.Length > 0 ? Fit(first, ".", last, yyyy) : Fit(first, "", "", yyyy);
        for (var n = 1; n < MaxCandidates; n++)
        {
            var tail = "." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return stem.Length + tail.Length <= AbhaAddress.MaxHandleLength
                ? stem + tail
                : stem[..(AbhaAddress.MaxHandleLength - tail.Length)].TrimEnd('.', '_') + tail;
        }
    }

    /// <summary>
    /// Joins the parts, shortening the longer name until the handle fits 18 characters, so long names still
    /// produce candidates. Names shorter than 8 characters get the year or nothing (the caller drops short ones).
    /// </summary>
    private static string Fit(string a, string separator, string b, string year)
    {
        if (b.Length == 0) separator = "";
        var budget = AbhaAddress.MaxHandleLength - separator.Length - year.Length;
        while (a.Length + b.Length > budget)
        {
            if (a.Length >= b.Length) a = a[..^1];
            else b = b[..^1];
        }
        return a + separator + b + year;
    }

    private static string Letters(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetter(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
