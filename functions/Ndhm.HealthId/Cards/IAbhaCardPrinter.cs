namespace Ndhm.HealthId.Cards;

/// <summary>
/// Port: draws an <see cref="AbhaCard"/> as a file (the Skia and PDFsharp adapter in Infrastructure). Drawing only:
/// what is on the card, and the QR's signature, are decided before it is called.
/// </summary>
public interface IAbhaCardPrinter
{
    /// <summary>The card's width and height in pixels of the PNG (a PDF page has the same aspect).</summary>
    const int Width = 711;

    const int Height = 360;

    byte[] Print(AbhaCard card, AbhaCardFormat format);
}
