using Ndhm.Analytics;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>How the store decorators turn an event's details into the codes a fact may carry.</summary>
internal static class FactCodes
{
    /// <summary>The UTC day of an event: facts carry days, never times.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>
    /// A specialty as a code: lower case, words joined by '-', anything else dropped. The definitions' pattern then
    /// keeps only letters and hyphens (at most 40), so a free-text specialty cannot carry a name or number.
    /// </summary>
    public static string? Slug(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = text.Trim().ToLowerInvariant()
            .Split((char[])[' ', '-', '_', '/', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsAsciiLetterLower).ToArray()))
            .Where(w => w.Length > 0);
        var slug = string.Join('-', words);
        return slug.Length == 0 ? null : slug;
    }

    /// <summary>Demographic dimensions the source does not hold: stored as unknown, never looked up.</summary>
    public static Dictionary<string, string?> Dimensions(params (string Name, string? Value)[] own)
    {
        var dimensions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in own) dimensions[name] = value;
        return dimensions;
    }
}
