using System.Globalization;
using System.Text;
using AnyAscii;
using F23.StringSimilarity;
using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Demographic;

/// <summary>How alike two demographic records are (<see cref="DemographicMatch.Compare"/>).</summary>
public enum DemographicLikeness
{
    /// <summary>Another person: enrol.</summary>
    Different,

    /// <summary>Close but not sure (an initial for a given name, a near spelling): not enrolled, returned for a verifier.</summary>
    Possible,

    /// <summary>The same person written differently: a duplicate.</summary>
    Same,
}

/// <summary>The parts of a person the demographic match looks at (decrypted, inside the service only).</summary>
public sealed record DemographicPerson(PersonName Name, DateOfBirth DateOfBirth, Gender Gender, string PinCode)
{
    public static DemographicPerson? Of(AbhaAccount account) =>
        account is { Name: { } n, DateOfBirth: { } d, Gender: { } g, Address.PinCode: { Length: > 0 } pin } ? new(n, d, g, pin.Trim()) : null;
}

/// <summary>
/// Matching beyond exact for one person, one ABHA. Names are compared in a folded form: transliterated to ASCII
/// (AnyAscii: Devanagari and other scripts to Latin), lower case, punctuation and spaces as separators, honorifics dropped
/// (shri, smt, kumari, mr, dr, ...), and each word folded for common Indian transliteration variants (aspirate h after a
/// consonant, ksh/ks as x, ee/ii as i, oo/uu as u, aa as a, w as v, z as j, q as k, doubled letters once, a final a
/// dropped: Lakshmi = Laxmi, Seeta = Sita, Devee = Devi, Mohd stays Mohd).
/// <para>
/// The <b>blocking key</b> (<see cref="BlockKey"/>, stored only as a keyed hash) is gender, year of birth, PIN code, the
/// folded last name and the first letter of the given name: "Smt. S. Devi" and "Sita Devi" share it. Candidates sharing
/// it are compared by <see cref="Compare"/>, after decryption, inside the service:
/// </para>
/// <list type="bullet">
/// <item>different full birth dates (both with day and month): <see cref="DemographicLikeness.Different"/>;</item>
/// <item>given names equal when folded: <see cref="DemographicLikeness.Same"/> (a year of birth alone matches a full date of that year);</item>
/// <item>one given name an initial of the other, or Jaro-Winkler similarity of the folded given names at least
/// <see cref="PossibleSimilarity"/> (F23.StringSimilarity): <see cref="DemographicLikeness.Possible"/>;</item>
/// <item>otherwise <see cref="DemographicLikeness.Different"/>.</item>
/// </list>
/// Not covered: a different year of birth, PIN code or gender, a changed or missing last name, first and last name swapped.
/// </summary>
public static class DemographicMatch
{
    /// <summary>Folded given names at least this similar (Jaro-Winkler, 0-1) are a possible match.</summary>
    public const double PossibleSimilarity = 0.88;

    private static readonly JaroWinkler Similarity = new();

    private static readonly HashSet<string> Honorifics = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "master", "dr", "shri", "shree", "sri", "sh", "smt", "shrimati", "srimati", "sushri", "kumari", "km", "kum",
        "sow", "selvi", "thiru", "tmt", "late", "sardar", "begum", "janab",
    };

    /// <summary>The blocking key (hash it before storing); null when a part is missing.</summary>
    public static string? BlockKey(DemographicPerson? person)
    {
        if (person is null) return null;
        var given = GivenWords(person.Name);
        return string.Join('|', "block-v1", person.Gender.ToString(), person.DateOfBirth.Year.ToString(CultureInfo.InvariantCulture),
            person.PinCode, LastFolded(person.Name), given.Count > 0 ? given[0][..1] : "");
    }

    public static DemographicLikeness Compare(DemographicPerson a, DemographicPerson b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Gender != b.Gender || a.DateOfBirth.Year != b.DateOfBirth.Year
            || !string.Equals(a.PinCode, b.PinCode, StringComparison.Ordinal)
            || !string.Equals(LastFolded(a.Name), LastFolded(b.Name), StringComparison.Ordinal))
            return DemographicLikeness.Different;
        if (a.DateOfBirth is { Month: { } am, Day: { } ad } && b.DateOfBirth is { Month: { } bm, Day: { } bd } && (am != bm || ad != bd))
            return DemographicLikeness.Different;

        var ga = GivenWords(a.Name);
        var gb = GivenWords(b.Name);
        if (ga.Count == 0 || gb.Count == 0)
            return ga.Count == gb.Count ? DemographicLikeness.Same : DemographicLikeness.Possible;
        var (fa, fb) = (ga[0], gb[0]);
        if (string.Equals(fa, fb, StringComparison.Ordinal)) return DemographicLikeness.Same;
        if ((fa.Length == 1 || fb.Length == 1) && fa[0] == fb[0]) return DemographicLikeness.Possible;
        return Similarity.Similarity(fa, fb) >= PossibleSimilarity ? DemographicLikeness.Possible : DemographicLikeness.Different;
    }

    /// <summary>The given names (first, then middle), folded, honorifics removed.</summary>
    public static IReadOnlyList<string> GivenWords(PersonName name) =>
        Words(name.FirstName).Concat(Words(name.MiddleName)).ToList();

    private static string LastFolded(PersonName name) => string.Concat(Words(name.LastName));

    /// <summary>Folded words of a name part (see the class summary).</summary>
    public static IEnumerable<string> Words(string? part)
    {
        if (string.IsNullOrWhiteSpace(part)) yield break;
        var ascii = part.Normalize(NormalizationForm.FormKC).Transliterate().ToLowerInvariant();
        var word = new StringBuilder();
        foreach (var c in ascii + " ")
        {
            if (c is >= 'a' and <= 'z')
            {
                word.Append(c);
                continue;
            }

            if (word.Length > 0 && !Honorifics.Contains(word.ToString()))
            {
                var folded = Fold(word.ToString());
                if (folded.Length > 0) yield return folded;
            }
            word.Clear();
        }
    }

    /// <summary>Folds one lower-case ASCII word for common transliteration variants.</summary>
    public static string Fold(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var s = word.Replace("ksh", "x", StringComparison.Ordinal).Replace("ks", "x", StringComparison.Ordinal)
            .Replace("ee", "i", StringComparison.Ordinal).Replace("ii", "i", StringComparison.Ordinal)
            .Replace("oo", "u", StringComparison.Ordinal).Replace("uu", "u", StringComparison.Ordinal)
            .Replace('w', 'v').Replace('z', 'j').Replace('q', 'k');
        var folded = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            var previous = folded.Length > 0 ? folded[^1] : '\0';
            if (c == 'h' && previous != '\0' && !IsVowel(previous)) continue; // aspirates and sh: bh = b, sh = s
            if (c == previous) continue;                                      // doubled letters (also aa = a)
            folded.Append(c);
        }
        if (folded.Length > 3 && folded[^1] == 'a') folded.Length--;         // the final schwa: Krishna = Krishn
        return folded.ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
