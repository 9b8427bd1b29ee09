using System.Buffers;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.Fidelius;

namespace Ndhm.DataTransfer;

/// <summary>
/// One entry of a page to push: the bundle's plaintext UTF-8 bytes, encrypted only as the body is written; or, with
/// <see cref="Link"/>, ABDM's <c>EntryLink</c>: the encrypted content was published there and the body carries the
/// link instead (<see cref="Bundle"/> is then not written).
/// </summary>
public sealed record DataPushPlainEntry(ReadOnlyMemory<byte> Bundle, string Media, string Checksum, string CareContextReference, string? Link = null);

/// <summary>
/// A received <c>DataNotification</c> whose entries' <c>content</c> stays the base64 UTF-8 it arrived as (a slice of
/// the body, or an unescaped copy when the sender escaped characters): a megabyte bundle never becomes a string.
/// </summary>
public sealed record Utf8DataPushPage(int PageNumber, int PageCount, string? TransactionId, IReadOnlyList<Utf8DataPushEntry>? Entries,
    AbdmKeyMaterial? KeyMaterial)
{
    /// <summary>The same page with <c>content</c> left out: what the text policy checks (the base64 is checked by Fidelius).</summary>
    public DataPushPage WithoutContent() =>
        new(PageNumber, PageCount, TransactionId, Entries?.Select(e => e.WithoutContent()).ToList(), KeyMaterial);

    /// <summary>This page with the texts (all but <c>content</c>) of <paramref name="texts"/>, e.g. after the text policy normalized them.</summary>
    public Utf8DataPushPage WithTextsOf(DataPushPage texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return this with
        {
            TransactionId = texts.TransactionId,
            Entries = Entries?.Select((e, i) => texts.Entries?[i] is { } t
                ? e with { Link = t.Link, Media = t.Media, Checksum = t.Checksum, CareContextReference = t.CareContextReference }
                : e).ToList(),
        };
    }

    /// <summary>A page deserialized the ordinary way (its content as strings), for callers that already have one.</summary>
    public static Utf8DataPushPage From(DataPushPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Utf8DataPushPage(page.PageNumber, page.PageCount, page.TransactionId,
            page.Entries?.Select(e => new Utf8DataPushEntry(e.Content is null ? null : Encoding.UTF8.GetBytes(e.Content), e.Link, e.Media, e.Checksum,
                e.CareContextReference)).ToList(),
            page.KeyMaterial);
    }
}

/// <summary>ABDM <c>EntryContent</c> / <c>EntryLink</c> with <c>content</c> as base64 UTF-8 (null when absent or null).</summary>
public sealed record Utf8DataPushEntry(ReadOnlyMemory<byte>? Content, string? Link, string? Media, string? Checksum, string? CareContextReference)
{
    public DataPushEntry WithoutContent() => new(null, Link, Media, Checksum, CareContextReference);
}

/// <summary>
/// The body of <c>POST {dataPushUrl}</c> (ABDM <c>DataNotification</c>) over UTF-8 JSON, both ways, without the base64
/// string the serializer would need: the HIP writes each entry's ciphertext as base64 straight into the body, the HIU
/// reads it from the body's bytes. The JSON is the serializer's for <see cref="DataPushPage"/> (same members, order
/// and escaping), except that <c>content</c> is written unescaped: base64's <c>+</c> comes out as itself, not as the
/// serializer's <c>\u002B</c>. Both are the same JSON string.
/// </summary>
public static class DataPushBody
{
    /// <summary>Writes one page into <paramref name="body"/>, encrypting each entry with the transfer's <paramref name="session"/>.</summary>
    public static void Write(IBufferWriter<byte> body, int pageNumber, int pageCount, string transactionId, IEnumerable<DataPushPlainEntry> entries,
        AbdmKeyMaterial keyMaterial, FideliusSession session)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(keyMaterial);
        ArgumentNullException.ThrowIfNull(session);
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteNumber("pageNumber", pageNumber);
        writer.WriteNumber("pageCount", pageCount);
        writer.WriteString("transactionId", transactionId);
        writer.WriteStartArray("entries");
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            if (entry.Link is { } link)
            {
                writer.WriteString("link", link);
            }
            else
            {
                writer.WritePropertyName("content");
                session.WriteEncryptedBase64StringValue(writer, entry.Bundle.Span);
            }

            writer.WriteString("media", entry.Media);
            writer.WriteString("checksum", entry.Checksum);
            writer.WriteString("careContextReference", entry.CareContextReference);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("keyMaterial");
        JsonSerializer.Serialize(writer, keyMaterial, NdhmJson.Options);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a page as the serializer reads <see cref="DataPushPage"/> with the platform's options (member names in any
    /// case, unknown members skipped, numbers strict), keeping <c>content</c> as UTF-8 that points into
    /// <paramref name="json"/> (keep it alive while the page is used). Malformed JSON or a wrong type throws
    /// <see cref="JsonException"/>; a body that is JSON null gives null.
    /// </summary>
    public static Utf8DataPushPage? Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return ParsePage(json);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A value of the wrong type (GetInt32 on a string, a number out of range): what the serializer reports as JSON.
            throw new JsonException("A member has a value of the wrong type.", e);
        }
    }

    private static Utf8DataPushPage? ParsePage(ReadOnlyMemory<byte> json)
    {
        var reader = new Utf8JsonReader(json.Span);
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.Null) return null;
        Expect(ref reader, JsonTokenType.StartObject);
        int pageNumber = 0, pageCount = 0;
        string? transactionId = null;
        List<Utf8DataPushEntry>? entries = null;
        AbdmKeyMaterial? keyMaterial = null;
        while (Read(ref reader) != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            Read(ref reader);
            if (Is(name, "pageNumber")) pageNumber = reader.GetInt32();
            else if (Is(name, "pageCount")) pageCount = reader.GetInt32();
            else if (Is(name, "transactionId")) transactionId = reader.TokenType == JsonTokenType.Null ? null : StringValue(ref reader);
            else if (Is(name, "entries")) entries = reader.TokenType == JsonTokenType.Null ? null : ReadEntries(ref reader, json);
            else if (Is(name, "keyMaterial")) keyMaterial = JsonSerializer.Deserialize<AbdmKeyMaterial>(ref reader, NdhmJson.Options);
            else reader.Skip();
        }

        if (reader.Read()) throw new JsonException("The body continues after the page object.");
        return new Utf8DataPushPage(pageNumber, pageCount, transactionId, entries, keyMaterial);
    }

    private static List<Utf8DataPushEntry> ReadEntries(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var entries = new List<Utf8DataPushEntry>();
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new JsonException("An entry is null.");
            }

            Expect(ref reader, JsonTokenType.StartObject);
            ReadOnlyMemory<byte>? content = null;
            string? link = null, media = null, checksum = null, careContextReference = null;
            while (Read(ref reader) != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                Read(ref reader);
                if (Is(name, "content")) content = reader.TokenType == JsonTokenType.Null ? null : Utf8Value(ref reader, json);
                else if (Is(name, "link")) link = NullableString(ref reader);
                else if (Is(name, "media")) media = NullableString(ref reader);
                else if (Is(name, "checksum")) checksum = NullableString(ref reader);
                else if (Is(name, "careContextReference")) careContextReference = NullableString(ref reader);
                else reader.Skip();
            }

            entries.Add(new Utf8DataPushEntry(content, link, media, checksum, careContextReference));
        }

        return entries;
    }

    // The value's UTF-8 as it sits in the body; only an escaped value (\u002B, \/ ...) is unescaped into a copy.
    private static ReadOnlyMemory<byte> Utf8Value(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
    {
        Expect(ref reader, JsonTokenType.String);
        if (!reader.ValueIsEscaped)
        {
            return json.Slice(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length);
        }

        var unescaped = new byte[reader.ValueSpan.Length];
        return unescaped.AsMemory(0, reader.CopyString(unescaped));
    }

    private static string? NullableString(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : StringValue(ref reader);

    private static string StringValue(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String);
        return reader.GetString()!;
    }

    private static bool Is(string? name, string member) => string.Equals(name, member, StringComparison.OrdinalIgnoreCase);

    private static JsonTokenType Read(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The body ends early.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type) throw new JsonException($"Expected {type}, found {reader.TokenType}.");
    }
}
