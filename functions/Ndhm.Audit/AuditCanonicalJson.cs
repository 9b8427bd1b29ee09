using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ndhm.Audit;

/// <summary>
/// The canonical form an entry is hashed in: RFC 8785 (JSON Canonicalization Scheme) for the values an entry
/// holds. Objects have their members sorted by name (UTF-16 code units, ordinal), no whitespace anywhere, strings
/// escaped as ECMAScript's JSON.stringify does (<c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>, other control characters
/// as lower-case <c>\u00xx</c>, everything else literal), then encoded as UTF-8. Entries carry only integers
/// (<c>seq</c>), which JCS writes as plain decimal digits; any other number, and any duplicated member name, is
/// refused, so every JCS implementation computes the same bytes for every accepted entry.
/// </summary>
public static class AuditCanonicalJson
{
    // Integers beyond 2^53 do not survive an IEEE double, which JCS (and JavaScript readers) go through.
    private const long MaxSafeInteger = 9007199254740991;

    public static byte[] Serialize(JsonElement value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = value.EnumerateObject().ToList();
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                text.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0 && members[i].Name == members[i - 1].Name)
                    {
                        throw new FormatException($"Member '{members[i].Name}' appears twice.");
                    }

                    if (i > 0) text.Append(',');
                    WriteString(members[i].Name, text);
                    text.Append(':');
                    Write(members[i].Value, text);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first) text.Append(',');
                    first = false;
                    Write(item, text);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, text);
                break;
            case JsonValueKind.Number:
                if (!value.TryGetInt64(out var integer) || Math.Abs(integer) > MaxSafeInteger)
                {
                    throw new FormatException($"Number {value.GetRawText()} is not an integer the canonical form carries.");
                }

                text.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new FormatException($"Unexpected JSON value kind {value.ValueKind}.");
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }
}
