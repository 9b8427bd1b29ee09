namespace Ndhm.HealthId.Cards;

/// <summary>The files the ABHA card comes as.</summary>
public enum AbhaCardFormat
{
    /// <summary>A 711 x 360 colour PNG.</summary>
    Png,

    /// <summary>A one-page PDF the size of the card, holding the card drawn at print resolution.</summary>
    Pdf,
}

public static class AbhaCardFormats
{
    public static string MediaType(this AbhaCardFormat format) => format switch
    {
        AbhaCardFormat.Pdf => "application/pdf",
        _ => "image/png",
    };

    public static string FileExtension(this AbhaCardFormat format) => format switch
    {
        AbhaCardFormat.Pdf => "pdf",
        _ => "png",
    };
}
