using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Consent;

/// <summary>One consent text shown before enrolment: ABDM's consent code, its version, the language (BCP 47 primary tag).</summary>
public sealed record EnrolmentConsentText(string Code, string Version, string Language, string Title, IReadOnlyList<string> Text);

/// <summary>
/// What the person accepted, recorded with the account (<c>consent</c>): the text's code, version and language and
/// when. Not personal data: it names a text, not the person.
/// </summary>
public sealed record AcceptedConsent(string Code, string Version, string Language, DateTimeOffset AcceptedAt);

/// <summary>
/// The enrolment consent texts, one embedded JSON resource per version and language
/// (<c>Consent/Texts/{code}.{version}.{language}.json</c>). An enrolment must name a version (and optionally a
/// language, English by default) that exists here: what the person saw is then known exactly.
/// </summary>
public sealed class EnrolmentConsentCatalogue
{
    public const string Code = "abha-enrollment";
    public const string DefaultLanguage = "en";
    public const string ConsentRequired = "CONSENT_REQUIRED";
    public const string ConsentVersionUnknown = "CONSENT_VERSION_UNKNOWN";
    public const string ConsentLanguageUnknown = "CONSENT_LANGUAGE_UNKNOWN";

    private const string ResourcePrefix = "Ndhm.HealthId.Consent.Texts.";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IReadOnlyList<EnrolmentConsentText> texts;

    public EnrolmentConsentCatalogue(IEnumerable<EnrolmentConsentText> texts) =>
        this.texts = texts.ToList();

    /// <summary>The texts shipped with this assembly.</summary>
    public static EnrolmentConsentCatalogue Embedded { get; } = new(LoadEmbedded());

    public IReadOnlyList<EnrolmentConsentText> Texts => texts;

    /// <summary>The newest version (ordinal on the numeric parts).</summary>
    public string LatestVersion => texts.Select(t => t.Version).OrderByDescending(VersionKey).First();

    public IReadOnlyList<string> LanguagesOf(string version) =>
        texts.Where(t => t.Version == version).Select(t => t.Language).Order(StringComparer.Ordinal).ToList();

    /// <summary>The text of <paramref name="version"/> (the latest when null) in <paramref name="language"/> (English when null).</summary>
    public EnrolmentConsentText Find(string? version, string? language)
    {
        var v = string.IsNullOrWhiteSpace(version) ? LatestVersion : version.Trim();
        var lang = string.IsNullOrWhiteSpace(language) ? DefaultLanguage : language.Trim().ToLowerInvariant();
        var ofVersion = texts.Where(t => t.Version == v).ToList();
        if (ofVersion.Count == 0)
            throw new DomainException(ErrorKind.Validation, ConsentVersionUnknown, "Unknown consent version",
                $"There is no enrolment consent text of version '{Clip(v)}'; the current one is {LatestVersion}.");
        return ofVersion.FirstOrDefault(t => t.Language == lang)
               ?? throw new DomainException(ErrorKind.Validation, ConsentLanguageUnknown, "Unknown consent language",
                   $"The consent text {v} is not available in '{Clip(lang)}'; available: {string.Join(", ", LanguagesOf(v))}.");
    }

    /// <summary>
    /// Checks what an enrolment request says the person accepted: code <c>abha-enrollment</c> (else CONSENT_REQUIRED),
    /// a version and language that exist here (else CONSENT_VERSION_UNKNOWN / CONSENT_LANGUAGE_UNKNOWN).
    /// </summary>
    public AcceptedConsent Accept(string? code, string? version, string? language, DateTimeOffset now)
    {
        if (!string.Equals(code, Code, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(version))
            throw new DomainException(ErrorKind.Validation, ConsentRequired, "The request is invalid",
                "consent with code abha-enrollment and a version is required to enrol (GET v3/enrollment/consent shows the text).");
        var text = Find(version, language);
        return new AcceptedConsent(text.Code, text.Version, text.Language, now);
    }

    private static string Clip(string value) => value.Length <= 16 ? value : value[..16] + "...";

    private static (int, int, int, string) VersionKey(string version)
    {
        var parts = version.Split('.');
        int Part(int i) => parts.Length > i && int.TryParse(parts[i], out var n) ? n : 0;
        return (Part(0), Part(1), Part(2), version);
    }

    private static IEnumerable<EnrolmentConsentText> LoadEmbedded()
    {
        var assembly = typeof(EnrolmentConsentCatalogue).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            yield return JsonSerializer.Deserialize<EnrolmentConsentText>(stream, Json)
                         ?? throw new InvalidOperationException($"Consent resource {name} is empty.");
        }
    }
}
