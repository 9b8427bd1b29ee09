using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Ndhm.Infrastructure.HealthId.Cards;

/// <summary>
/// The card's typefaces, embedded in this assembly (Noto Sans and Noto Sans Devanagari, SIL OFL 1.1; see
/// Fonts/SOURCE.md) so the card looks the same on any machine: the Linux Skia build in use reads no system fonts.
/// Each has a HarfBuzz shaper, because Devanagari needs shaping (conjuncts, vowel signs drawn before the consonant).
/// </summary>
internal sealed class CardFonts : IDisposable
{
    private readonly (SKTypeface Regular, SKTypeface Bold, SKShaper RegularShaper, SKShaper BoldShaper)[] families;

    private CardFonts()
    {
        families =
        [
            Family("NotoSans"),
            Family("NotoSansDevanagari"),
        ];
    }

    /// <summary>Loaded once per process: the shapers are immutable after creation and shape from any thread.</summary>
    public static CardFonts Instance { get; } = new();

    /// <summary>
    /// The first family (Latin first, then Devanagari) with a glyph for every character of <paramref name="text"/>,
    /// or null when none has (a script the card has no font for).
    /// </summary>
    public CardFace? For(string text, bool bold)
    {
        var letters = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        foreach (var f in families)
        {
            var typeface = bold ? f.Bold : f.Regular;
            using var font = new SKFont(typeface);
            if (letters.Length == 0 || font.ContainsGlyphs(letters))
                return new CardFace(typeface, bold ? f.BoldShaper : f.RegularShaper);
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var f in families)
        {
            f.RegularShaper.Dispose();
            f.BoldShaper.Dispose();
            f.Regular.Dispose();
            f.Bold.Dispose();
        }
    }

    private static (SKTypeface, SKTypeface, SKShaper, SKShaper) Family(string name)
    {
        var regular = Load($"{name}-Regular.ttf");
        var bold = Load($"{name}-Bold.ttf");
        return (regular, bold, new SKShaper(regular), new SKShaper(bold));
    }

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(CardFonts).Assembly.GetManifestResourceStream($"Ndhm.Infrastructure.HealthId.Cards.Fonts.{file}")
            ?? throw new InvalidOperationException($"The card font {file} is not embedded.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The card font {file} does not load.");
    }
}

/// <summary>A typeface and its shaper.</summary>
internal sealed record CardFace(SKTypeface Typeface, SKShaper Shaper);
