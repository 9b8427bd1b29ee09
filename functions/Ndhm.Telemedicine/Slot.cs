using System.Globalization;
using System.Text.RegularExpressions;

namespace Ndhm.Telemedicine;

/// <summary>
/// A doctor's published time for one teleconsultation. The slot document is also the booking's lock: <see cref="Hold"/>
/// names the one appointment holding it, and every change of the hold is an If-Match replace of the slot, so two
/// bookings (or a booking and the doctor's withdrawal) racing for it serialise on its ETag and only one wins.
/// </summary>
public sealed record Slot
{
    public required string Id { get; init; }
    public required string DoctorHprId { get; init; }
    public required string DoctorName { get; init; }
    public required string FacilityId { get; init; }
    public required string FacilityName { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required int DurationMinutes { get; init; }
    /// <summary>Fee in paise (1/100 rupee): amounts are integers so that refunds add up exactly.</summary>
    public required long FeePaise { get; init; }
    public required string Specialty { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    public required IReadOnlyList<ConsultationMode> Modes { get; init; }
    public bool Withdrawn { get; init; }
    public SlotHold? Hold { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }

    public DateTimeOffset End => Start.AddMinutes(DurationMinutes);

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start < end && start < End;

    /// <summary>Held now: by a confirmed appointment (no expiry) or by an initiated one whose hold has not lapsed.</summary>
    public bool IsHeld(DateTimeOffset now) => Hold is { } hold && (hold.ExpiresAt is null || hold.ExpiresAt > now);

    public bool IsBookable(DateTimeOffset now) => !Withdrawn && !IsHeld(now) && Start > now;

    /// <summary>Slot ids: the doctor's HPR id and the start minute (UTC), so one doctor can never publish two slots starting together.</summary>
    public static string IdFor(string hprId, DateTimeOffset start) =>
        hprId + "-" + start.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static bool IsValidId(string? id) => id is not null && SlotIdPattern().IsMatch(id);

    private static Regex SlotIdPattern() => new("^[1-9][0-9]{13}-[0-9]{12}$", RegexOptions.CultureInvariant);
}

/// <param name="AppointmentId">The appointment holding the slot.</param>
/// <param name="ExpiresAt">When an unconfirmed hold lapses; null once the appointment is confirmed.</param>
public sealed record SlotHold(string AppointmentId, DateTimeOffset? ExpiresAt);

/// <summary>What a patient searches by; text is compared case-insensitively.</summary>
public sealed record SlotQuery
{
    public string? Specialty { get; init; }
    public string? Language { get; init; }
    public string? DoctorName { get; init; }
    public long? MaxFeePaise { get; init; }
    public ConsultationMode? Mode { get; init; }
    public DateTimeOffset EarliestStart { get; init; }
    public DateTimeOffset? LatestStart { get; init; }
    public string? DoctorHprId { get; init; }
    public Ndhm.Registry.Facilities.BoundingBox? Within { get; init; }
}
