namespace Ndhm.Registry.Common;

internal static class Text
{
    /// <summary>Trimmed, inner whitespace collapsed; null when blank.</summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The form searches compare: cleaned and lower-cased (invariant).</summary>
    public static string Fold(string value) => Clean(value)!.ToLowerInvariant();
}
