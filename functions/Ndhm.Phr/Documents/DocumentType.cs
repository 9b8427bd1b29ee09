namespace Ndhm.Phr.Documents;

/// <summary>The document types a patient may upload, each known by its content (magic bytes), never by a file name.</summary>
public sealed record DocumentType(string Name, string ContentType, string Extension)
{
    public static readonly DocumentType Pdf = new("PDF", "application/pdf", ".pdf");
    public static readonly DocumentType Jpeg = new("JPEG", "image/jpeg", ".jpg");
    public static readonly DocumentType Png = new("PNG", "image/png", ".png");

    public static IReadOnlyList<DocumentType> All { get; } = [Pdf, Jpeg, Png];

    /// <summary>The allowed type a Content-Type names (parameters ignored; <c>image/jpg</c> read as JPEG), or null.</summary>
    public static DocumentType? FromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return null;
        var media = contentType.Split(';', 2)[0].Trim();
        if (media.Equals("image/jpg", StringComparison.OrdinalIgnoreCase)) return Jpeg;
        return All.FirstOrDefault(t => t.ContentType.Equals(media, StringComparison.OrdinalIgnoreCase));
    }
}
