using System.Globalization;
using Microsoft.AspNetCore.Http;
using Ndhm.Phr;
using Ndhm.Phr.Records;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>Shared steps of the patient's health-record functions.</summary>
internal static class PhrHttp
{
    public const string Tag = "Health record (PHR)";

    /// <summary>The caller's ABHA number (14 digits): a PATIENT token's subject. Records are only ever read by their owner.</summary>
    public static string Patient(HttpRequest req) => HealthIdHttp.PatientNumber(req.Caller()).Digits;

    public static string? Query(HttpRequest req, string name) =>
        req.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;

    public static TimelineFilter Filter(HttpRequest req)
    {
        var type = Query(req, "type");
        var hiType = type is null ? null : HiTypes.Canonical(type)
            ?? throw PhrErrors.Invalid(PhrErrors.InvalidFilter, $"type must be one of {string.Join(", ", HiTypes.All)}.");
        var named = Query(req, "source");
        var source = named is null ? (HealthRecordSource?)null
            : HealthRecordSources.Parse(named) ?? throw PhrErrors.Invalid(PhrErrors.InvalidFilter, "source must be PULLED, UPLOADED or PROVIDER.");
        var hip = Query(req, "hip");
        if (hip is { Length: > 256 }) throw PhrErrors.Invalid(PhrErrors.InvalidFilter, "hip is at most 256 characters.");
        return new TimelineFilter(hiType, hip, source, Date(req, "from", endOfDay: false), Date(req, "to", endOfDay: true));
    }

    public static int? PageSize(HttpRequest req) =>
        Query(req, "pageSize") is not { } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size
        : throw PhrErrors.Invalid(PhrErrors.InvalidFilter, "pageSize must be a whole number.");

    /// <summary>A date (<c>2026-11-20</c>: the whole day, UTC) or a date-time with offset.</summary>
    public static DateTimeOffset? Date(HttpRequest req, string name, bool endOfDay)
    {
        if (Query(req, name) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(endOfDay ? TimeOnly.MaxValue : TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw PhrErrors.Invalid(PhrErrors.InvalidFilter, $"{name} must be a date (yyyy-MM-dd) or an ISO 8601 date-time.");
    }
}
