using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.Phr.Records;

/// <summary>An attachment's decoded bytes and its title, as found in a bundle.</summary>
public sealed record BundleAttachment(byte[] Bytes, string? DeclaredContentType, string? Title);

/// <summary>
/// The files a FHIR bundle carries inline: every <c>Attachment</c> with base64 <c>data</c> (DocumentReference content,
/// DiagnosticReport presentedForm, Media content...) and every <c>Binary</c> resource's <c>data</c>, in document order.
/// Attachments by <c>url</c> only are not fetched (the PHR serves what it holds).
/// </summary>
public static class BundleAttachments
{
    public static IEnumerable<BundleAttachment> Find(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["data"] is JsonValue data && data.GetValueKind() == JsonValueKind.String
                    && (obj["contentType"] is not null || obj["resourceType"]?.ToString() == "Binary")
                    && TryDecode(data.GetValue<string>()) is { } bytes)
                {
                    yield return new BundleAttachment(bytes, Text(obj["contentType"]), Text(obj["title"]));
                    yield break;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var found in Find(child)) yield return found;
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in Find(child)) yield return found;
                }

                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static byte[]? TryDecode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
