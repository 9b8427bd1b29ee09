using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ndhm.Phr.Records;

/// <summary>What a timeline shows: by hiType, HIP, source and the care date range (inclusive), each optional.</summary>
public sealed record TimelineFilter(
    string? HiType = null,
    string? HipId = null,
    HealthRecordSource? Source = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>One page of the timeline, newest first, and the token for the next one (null on the last page).</summary>
public sealed record TimelinePage(IReadOnlyList<HealthRecord> Records, string? ContinuationToken);

/// <summary>
/// Keyset paging over the timeline: records sort by a key of the care date (milliseconds, zero-padded) and the record
/// id, newest first; a page continues strictly after the last key shown. Stable while records are added or erased (no
/// offset to shift), and the token is opaque to the client (base64url of the key) but checked when it comes back.
/// </summary>
public static partial class TimelineCursor
{
    /// <summary>The sort key stored with every record: <c>&lt;15-digit epoch ms&gt;|&lt;record id&gt;</c> (ordinal order is date order).</summary>
    public static string SortKey(HealthRecord record) => SortKey(record.RecordDate, record.Id);

    public static string SortKey(DateTimeOffset recordDate, string recordId) =>
        Math.Max(0, recordDate.ToUnixTimeMilliseconds()).ToString("D15", CultureInfo.InvariantCulture) + "|" + recordId;

    public static string Encode(string sortKey) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(sortKey));

    /// <summary>The sort key a continuation token carries; INVALID_CONTINUATION_TOKEN (400) for anything this API did not issue.</summary>
    public static string Decode(string token)
    {
        try
        {
            var key = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            if (SortKeyPattern().IsMatch(key)) return key;
        }
        catch (FormatException)
        {
        }

        throw PhrErrors.Invalid(PhrErrors.InvalidContinuation, "continuationToken is not one this API issued; start again without it.");
    }

    [GeneratedRegex("^[0-9]{15}\\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex SortKeyPattern();
}
