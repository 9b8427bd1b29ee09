using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Documents;

/// <summary>
/// A photograph submitted with a document enrolment (front, back, selfie): base64 JPEG or PNG, at most
/// <see cref="MaxBytes"/> decoded, the type checked from its first bytes (not from what the client claims).
/// </summary>
public sealed class DocumentPhoto
{
    public const int MaxBytes = 200 * 1024;

    private DocumentPhoto(byte[] bytes, string mediaType)
    {
        Bytes = bytes;
        MediaType = mediaType;
    }

    public byte[] Bytes { get; }

    /// <summary><c>image/jpeg</c> or <c>image/png</c>.</summary>
    public string MediaType { get; }

    public static DocumentPhoto Parse(string? base64, string field)
    {
        if (string.IsNullOrWhiteSpace(base64))
            throw HealthIdErrors.InvalidRequest($"{field} is required (base64 JPEG or PNG).");
        // A data: URL prefix is common from browsers; the base64 after the comma is the photo.
        var text = base64.Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.IndexOf(',') is var comma and > 0)
            text = text[(comma + 1)..];
        if (text.Length > (MaxBytes + 2) / 3 * 4 + 4)
            throw new DomainException(ErrorKind.Validation, DocumentErrors.DocumentPhotoTooLarge, "Photo too large",
                $"{field} is larger than {MaxBytes / 1024} KiB; send a smaller JPEG or PNG.");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Invalid(field, "is not base64");
        }

        if (bytes.Length > MaxBytes)
            throw new DomainException(ErrorKind.Validation, DocumentErrors.DocumentPhotoTooLarge, "Photo too large",
                $"{field} is larger than {MaxBytes / 1024} KiB; send a smaller JPEG or PNG.");
        if (bytes is [0xFF, 0xD8, 0xFF, ..] && bytes.Length >= 4) return new DocumentPhoto(bytes, "image/jpeg");
        if (bytes is [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..]) return new DocumentPhoto(bytes, "image/png");
        throw Invalid(field, "is neither a JPEG nor a PNG image");
    }

    private static DomainException Invalid(string field, string what) =>
        new(ErrorKind.Validation, DocumentErrors.DocumentPhotoInvalid, "Photo invalid", $"{field} {what}.");
}
