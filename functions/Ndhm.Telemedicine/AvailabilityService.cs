using Ndhm.Core.Errors;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Telemedicine;

/// <summary>
/// What a doctor publishes: consecutive slots between <see cref="From"/> and <see cref="Until"/> of
/// <see cref="DurationMinutes"/> each, at one facility, for one specialty of theirs.
/// </summary>
public sealed record AvailabilityInput(
    string? FacilityId,
    string? Specialty,
    IReadOnlyList<string>? Languages,
    IReadOnlyList<string>? Modes,
    decimal? FeeInr,
    int? DurationMinutes,
    DateTimeOffset? From,
    DateTimeOffset? Until);

/// <summary>
/// Doctors' availability. Only a verified, active doctor listed at a verified, active facility publishes. A new slot
/// never overlaps another live slot of the same doctor, and a slot an appointment holds is never withdrawn, so changing
/// availability cannot double-book the doctor or take a booked time away from a patient.
/// </summary>
public sealed class AvailabilityService(
    ISlotStore slots,
    IProfessionalRegistry professionals,
    IFacilityRegistry facilities,
    TelemedicineOptions options,
    TimeProvider time)
{
    private const int MaxDurationMinutes = 120;

    public async Task<IReadOnlyList<Slot>> PublishAsync(string doctorHprId, AvailabilityInput input, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (facilityId, specialty, languages, modes, fee, duration, from, until) = Validate(input, now);
        var doctor = await professionals.EnsureVerifiedPractitionerAsync(HprId.Parse(doctorHprId), ct);
        if (!doctor.FacilityIds.Contains(facilityId))
            throw new DomainException(ErrorKind.Forbidden, TelemedicineErrors.FacilityNotListed, "The doctor is not listed at this facility.",
                $"Facility {facilityId} is not among the doctor's facilities in the professionals registry.");
        var listed = doctor.Specialties.FirstOrDefault(s => string.Equals(s, specialty, StringComparison.OrdinalIgnoreCase))
                     ?? throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidAvailability,
                         "specialty must be one of the doctor's registered specialties.", "specialty");
        var facility = await facilities.EnsureVerifiedHipAsync(facilityId, ct);

        var wanted = new List<Slot>();
        for (var start = from; start.AddMinutes(duration) <= until; start = start.AddMinutes(duration))
        {
            wanted.Add(new Slot
            {
                Id = Slot.IdFor(doctor.Id.Value, start),
                DoctorHprId = doctor.Id.Value,
                DoctorName = doctor.Name,
                FacilityId = facility.Id.Value,
                FacilityName = facility.Name,
                Latitude = facility.Location.Latitude,
                Longitude = facility.Location.Longitude,
                Start = start,
                DurationMinutes = duration,
                FeePaise = fee,
                Specialty = listed,
                Languages = languages,
                Modes = modes,
                PublishedAt = now,
            });
        }

        if (wanted.Count == 0)
            throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidAvailability, "from..until holds no whole slot of durationMinutes.", "until");
        if (wanted.Count > options.MaxSlotsPerPublish)
            throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidAvailability,
                $"At most {options.MaxSlotsPerPublish} slots per request ({wanted.Count} asked).", "until");

        // Refuse the whole request before writing anything when it overlaps what the doctor already offers.
        var existing = await slots.ListForDoctorAsync(doctor.Id.Value, from.AddMinutes(-MaxDurationMinutes), until, 1000, ct);
        var clash = existing.Where(e => !e.Withdrawn || e.IsHeld(now))
            .FirstOrDefault(e => wanted.Any(w => e.Overlaps(w.Start, w.End)));
        if (clash is not null) throw Overlap(clash, now);

        var created = new List<Slot>();
        foreach (var slot in wanted)
        {
            if (await slots.TryCreateAsync(slot, ct) is not null)
            {
                created.Add(slot);
                continue;
            }

            // The id (doctor + start minute) exists: republish over a withdrawn, unheld slot; anything else is a clash.
            var current = await slots.FindAsync(slot.Id, ct);
            if (current is null || !current.Value.Withdrawn || current.Value.IsHeld(now)
                || await slots.TryReplaceAsync(slot, current.ETag, ct) is null)
                throw Overlap(current?.Value ?? slot, now);
            created.Add(slot);
        }

        return created;
    }

    /// <summary>Takes an unbooked slot off the market; 409 <c>SLOT_BOOKED</c> when an appointment holds it.</summary>
    public async Task<Slot> WithdrawAsync(string doctorHprId, string slotId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var found = await FindOwnAsync(doctorHprId, slotId, ct);
            var slot = found.Value;
            if (slot.Withdrawn) return slot;
            if (slot.IsHeld(now))
                throw TelemedicineErrors.Conflict(TelemedicineErrors.SlotBooked, "The slot is booked.",
                    $"Slot {slot.Id} is held by an appointment; cancel the appointment instead of withdrawing the slot.", slot.Id, "held");
            // A lapsed hold is cleared with the withdrawal, so the lapsed appointment cannot confirm onto a withdrawn slot.
            var withdrawn = slot with { Withdrawn = true, Hold = null };
            if (await slots.TryReplaceAsync(withdrawn, found.ETag, ct) is not null) return withdrawn;
            if (attempt >= 3)
                throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The slot changed meanwhile.", "Try again.");
        }
    }

    public async Task<IReadOnlyList<Slot>> ListMineAsync(string doctorHprId, DateTimeOffset? from, DateTimeOffset? until, CancellationToken ct)
    {
        var start = from ?? time.GetUtcNow().AddHours(-1);
        var end = until ?? start.AddDays(options.MaxDaysAhead);
        if (end <= start)
            throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidSearch, "until must be after from.", "until");
        return await slots.ListForDoctorAsync(doctorHprId, start, end, 500, ct);
    }

    private async Task<Ndhm.Core.Concurrency.Versioned<Slot>> FindOwnAsync(string doctorHprId, string slotId, CancellationToken ct)
    {
        // Another doctor's slot is answered as missing: ids name nothing to those who do not own them.
        if (!Slot.IsValidId(slotId)) throw TelemedicineErrors.SlotMissing();
        var found = await slots.FindAsync(slotId, ct);
        return found is not null && found.Value.DoctorHprId == doctorHprId ? found : throw TelemedicineErrors.SlotMissing();
    }

    private static DomainException Overlap(Slot existing, DateTimeOffset now) =>
        TelemedicineErrors.Conflict(TelemedicineErrors.SlotOverlap, "The availability overlaps a published slot.",
            $"Slot {existing.Id} ({existing.Start:u}, {existing.DurationMinutes} min) already covers part of this time.",
            existing.Id, existing.IsHeld(now) ? "held" : "open");

    private (FacilityId, string, IReadOnlyList<string>, IReadOnlyList<ConsultationMode>, long, int, DateTimeOffset, DateTimeOffset) Validate(
        AvailabilityInput input, DateTimeOffset now)
    {
        if (!Ndhm.Registry.Facilities.FacilityId.TryParse(input.FacilityId, out var facilityId))
            throw Invalid("facilityId must be a facility id (e.g. IN3610014366).", "facilityId");
        var specialty = input.Specialty?.Trim();
        if (string.IsNullOrEmpty(specialty) || specialty.Length > 80) throw Invalid("specialty is required (at most 80 characters).", "specialty");
        var languages = (input.Languages ?? []).Select(l => l?.Trim() ?? "").ToList();
        if (languages.Count is 0 or > 10 || languages.Any(l => l.Length is 0 or > 40))
            throw Invalid("languages: 1 to 10 names of at most 40 characters.", "languages");
        if (input.Modes is null || input.Modes.Count is 0 or > 3) throw Invalid("modes: one or more of video, audio, chat.", "modes");
        var modes = input.Modes.Select(m => ConsultationModes.Parse(m, "modes")).Distinct().ToList();
        if (input.FeeInr is not { } fee || fee < 0 || fee > 100_000 || decimal.Round(fee, 2) != fee)
            throw Invalid("feeInr: 0 to 100000 rupees, at most two decimals.", "feeInr");
        if (input.DurationMinutes is not { } duration || duration < 5 || duration > MaxDurationMinutes)
            throw Invalid($"durationMinutes: 5 to {MaxDurationMinutes}.", "durationMinutes");
        if (input.From is not { } from || from <= now) throw Invalid("from must be a time in the future.", "from");
        if (input.Until is not { } until || until <= from) throw Invalid("until must be after from.", "until");
        if (until > now.AddDays(options.MaxDaysAhead)) throw Invalid($"until is at most {options.MaxDaysAhead} days ahead.", "until");
        if (from.Second != 0 || from.Millisecond != 0) throw Invalid("from must be on a whole minute.", "from");
        return (facilityId, specialty, languages.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), modes, (long)(fee * 100), duration,
            from.ToUniversalTime(), until.ToUniversalTime());
    }

    private static DomainException Invalid(string detail, string field) =>
        TelemedicineErrors.Invalid(TelemedicineErrors.InvalidAvailability, detail, field);
}
