using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Registry.Facilities;

namespace Ndhm.Telemedicine;

/// <summary>
/// The patient's side in the Unified Health Interface order: <c>search</c> (catalogue of free slots), <c>select</c>
/// (a quote), <c>init</c> (the slot is held for the patient: this is where bookings race), <c>confirm</c> (payment
/// recorded, teleconsultation consent recorded, the hold made permanent), <c>status</c> and <c>cancel</c> (refund by
/// <see cref="CancellationPolicy"/>). Every read or write of an appointment is audited on the patient's chain.
/// </summary>
public sealed class BookingService(
    ISlotStore slots,
    IAppointmentStore appointments,
    ITeleconsultationPayments payments,
    TelemedicineAudit audit,
    TelemedicineOptions options,
    TimeProvider time)
{
    public const string ConsentStatement =
        "I consent to a teleconsultation with a registered medical practitioner under the Telemedicine Practice Guidelines 2020.";

    private const int MaxAttempts = 5;

    /// <summary>How many bookable slots in the search circle's bounding box (soonest first) a distance-ordered search ranks.</summary>
    public const int DistanceCandidates = 500;

    public async Task<IReadOnlyList<SlotOffer>> SearchAsync(SlotSearch search, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var limit = search.Limit ?? 20;
        if (limit is < 1 or > 50) throw InvalidSearch("limit: 1 to 50.", "limit");
        if (search.MaxFeeInr is < 0) throw InvalidSearch("maxFeeInr must not be negative.", "maxFeeInr");
        GeoPoint? centre = null;
        BoundingBox? box = null;
        if (search.Latitude is not null || search.Longitude is not null || search.RadiusKm is not null)
        {
            if (search.Latitude is not { } lat || search.Longitude is not { } lon || search.RadiusKm is not { } radius
                || lat is < -90 or > 90 || lon is < -180 or > 180 || radius is <= 0 or > 500)
                throw InvalidSearch("latitude, longitude and radiusKm (up to 500) go together.", "radiusKm");
            centre = new GeoPoint(lat, lon);
            box = centre.BoundingBox(radius);
        }

        var byDistance = search.OrderBy?.Trim().ToLowerInvariant() switch
        {
            null or "" => centre is not null,
            "start" => false,
            "distance" when centre is not null => true,
            "distance" => throw InvalidSearch("orderBy distance needs the patient's latitude, longitude and radiusKm.", "orderBy"),
            _ => throw InvalidSearch("orderBy is distance or start.", "orderBy"),
        };
        var earliest = search.EarliestStart is { } e && e > now ? e : now;
        if (search.LatestStart is { } latest && latest < earliest) throw InvalidSearch("latestStart is before earliestStart.", "latestStart");
        var query = new SlotQuery
        {
            Specialty = Text(search.Specialty, "specialty"),
            Language = Text(search.Language, "language"),
            DoctorName = Text(search.DoctorName, "doctorName"),
            MaxFeePaise = search.MaxFeeInr is { } fee ? (long)decimal.Floor(fee * 100) : null,
            Mode = search.Mode is null ? null : ConsultationModes.Parse(search.Mode, "mode"),
            EarliestStart = earliest,
            LatestStart = search.LatestStart,
            Within = box,
        };
        var take = byDistance ? DistanceCandidates : box is null ? limit : limit * 4;
        var found = await slots.SearchAsync(query, now, take, ct);
        var offers = new List<SlotOffer>();
        foreach (var slot in found.Where(s => s.IsBookable(now)))
        {
            double? distance = null;
            if (centre is not null)
            {
                if (slot.Latitude is not { } la || slot.Longitude is not { } lo) continue;
                distance = Math.Round(centre.DistanceKmTo(new GeoPoint(la, lo)), 3);
                if (distance > search.RadiusKm) continue;
            }

            offers.Add(SlotOffer.From(slot, distance));
            if (!byDistance && offers.Count == limit) break;
        }

        // Stable: equally distant offers (one facility) stay soonest first, as the store returned them.
        return byDistance ? offers.OrderBy(o => o.DistanceKm).Take(limit).ToList() : offers;
    }

    public async Task<SlotQuote> SelectAsync(string? slotId, CancellationToken ct)
    {
        var slot = (await FindSlotAsync(slotId, ct)).Value;
        var now = time.GetUtcNow();
        EnsureBookable(slot, now);
        return new SlotQuote(SlotOffer.From(slot), slot.FeePaise / 100m, options.HoldMinutes,
        [
            $"Cancelled by you at least {options.FullRefundHoursBefore} h before the start: full refund; later: {options.LateCancellationRefundPercent} %.",
            "Cancelled by the doctor, or the doctor does not join within " + options.DoctorNoShowGraceMinutes + " minutes: full refund.",
            $"You do not join: {options.PatientNoShowRefundPercent} % refunded.",
        ]);
    }

    /// <summary>
    /// Holds the slot for the patient (If-Match on the slot document). Two patients racing for one slot: one gets the
    /// appointment, the other 409 <c>SLOT_TAKEN</c> naming the slot.
    /// </summary>
    /// <param name="appointmentId">
    /// The new appointment's id when the caller fixes it (a partner app's init: derived from its requestId), which makes a
    /// repeated init idempotent: the appointment of that id is answered again, and a hold already written for it (a run
    /// that died before the appointment was) is completed rather than refused. Null: a fresh id.
    /// </param>
    /// <summary>
    /// The appointment id a patient's init with an <c>Idempotency-Key</c> makes: the same patient and key always give the
    /// same id, so a retry after a failure (the slot held, the appointment not yet written) resumes that booking instead
    /// of finding the slot held by its own first attempt; null without a key. A key is 1-64 letters, digits, '-', '_', '.'.
    /// </summary>
    public static string? PatientAppointmentIdFor(string patientNumber, string? idempotencyKey) =>
        Ndhm.Core.Ids.DerivedIds.ForIdempotencyKey("teleconsult-init", patientNumber, idempotencyKey, TelemedicineErrors.InvalidBooking);

    public async Task<Appointment> InitAsync(string patientNumber, InitInput input, CancellationToken ct, string? appointmentId = null)
    {
        if (!Slot.IsValidId(input.SlotId))
            throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidSlotId, "slotId is required (as the search answered it).", "slotId");
        var mode = ConsultationModes.Parse(input.Mode, "mode");
        if (appointmentId is not null && await appointments.FindAsync(appointmentId, ct) is { Value: var earlier })
            return earlier.PatientNumber == patientNumber && earlier.SlotId == input.SlotId
                ? earlier
                : throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, "This request already booked another appointment.", "slotId");
        var followUp = input.FollowUpOf is null ? null : await FollowUpAsync(patientNumber, input.FollowUpOf, ct);

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var found = await FindSlotAsync(input.SlotId, ct);
            var slot = found.Value;
            if (slot.Withdrawn || slot.Start <= now) EnsureBookable(slot, now);
            if (!slot.Modes.Contains(mode))
                throw TelemedicineErrors.Invalid(TelemedicineErrors.ModeNotOffered,
                    $"This slot offers {string.Join(", ", slot.Modes.Select(ConsultationModes.Name))}.", "mode");
            if (followUp is not null && followUp.DoctorHprId != slot.DoctorHprId)
                throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidFollowUp, "A follow-up is with the doctor of the earlier consultation.", "followUpOf");
            var ours = appointmentId is not null && slot.Hold?.AppointmentId == appointmentId;
            if (slot.IsHeld(now) && !ours && !await IsStaleHoldAsync(slot.Hold!, ct)) throw Taken(slot);

            var appointment = new Appointment
            {
                Id = appointmentId ?? Guid.NewGuid().ToString(),
                SlotId = slot.Id,
                DoctorHprId = slot.DoctorHprId,
                DoctorName = slot.DoctorName,
                FacilityId = slot.FacilityId,
                PatientNumber = patientNumber,
                Mode = mode,
                Specialty = slot.Specialty,
                Start = slot.Start,
                DurationMinutes = slot.DurationMinutes,
                FeePaise = slot.FeePaise,
                Status = AppointmentStatus.Initiated,
                CreatedAt = now,
                HoldExpiresAt = ours && slot.Hold!.ExpiresAt is { } kept ? kept : now.AddMinutes(options.HoldMinutes),
                FollowUpOf = followUp?.Id,
                ConditionCode = followUp?.ConditionCode,
            };
            var held = slot with { Hold = new SlotHold(appointment.Id, appointment.HoldExpiresAt) };
            // The one serialisation point: whoever replaces the slot with its current ETag holds it; the loser re-reads
            // and finds it held.
            if (!ours && await slots.TryReplaceAsync(held, found.ETag, ct) is null) continue;
            await appointments.CreateAsync(appointment, ct);
            await audit.RecordAsync(appointment, "telemedicine.appointment.init", patientNumber, "PATIENT", null, ct);
            return appointment;
        }

        throw Taken((await FindSlotAsync(input.SlotId, ct)).Value);
    }

    public async Task<Appointment> ConfirmAsync(string patientNumber, ConfirmInput input, CancellationToken ct)
    {
        var reference = input.PaymentReference?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > 64 || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, "paymentReference: 1-64 letters, digits, '-', '_' or '.'.", "paymentReference");
        if (input.TeleconsultationConsent != true)
            throw TelemedicineErrors.Invalid(TelemedicineErrors.ConsentRequired,
                "teleconsultationConsent must be true: a teleconsultation needs the patient's consent (Telemedicine Practice Guidelines 2020).",
                "teleconsultationConsent");
        var found = await FindOwnAsync(patientNumber, input.AppointmentId, ct);
        var appointment = found.Value;
        var now = time.GetUtcNow();
        if (appointment.Status == AppointmentStatus.Confirmed && appointment.PaymentReference == reference) return appointment;
        if (appointment.Status != AppointmentStatus.Initiated)
            throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status, "only an initiated appointment can be confirmed");
        if (now >= appointment.HoldExpiresAt) throw HoldLapsed(appointment);

        await MakeHoldPermanentAsync(appointment, ct);
        await payments.RecordPaymentAsync(appointment.Id, appointment.FeePaise, reference, ct);
        var confirmed = appointment.Confirm(reference, new TeleconsultationConsent(now, appointment.Mode, ConsentStatement), now,
            TimeSpan.FromMinutes(options.ReminderLeadMinutes));
        await appointments.ReplaceAsync(confirmed, found.ETag, ct);
        await audit.RecordAsync(confirmed, "telemedicine.appointment.confirm", patientNumber, "PATIENT", "CONFIRMED; teleconsultation consent recorded", ct);
        return confirmed;
    }

    public async Task<Appointment> StatusAsync(string patientNumber, string? appointmentId, CancellationToken ct)
    {
        var appointment = (await FindOwnAsync(patientNumber, appointmentId, ct)).Value;
        await audit.RecordAsync(appointment, "telemedicine.appointment.read", patientNumber, "PATIENT", null, ct);
        return appointment;
    }

    public async Task<IReadOnlyList<Appointment>> ListMineAsync(string patientNumber, CancellationToken ct)
    {
        var list = await appointments.ListForPatientAsync(patientNumber, 100, ct);
        foreach (var appointment in list) await audit.RecordAsync(appointment, "telemedicine.appointment.list", patientNumber, "PATIENT", null, ct);
        return list;
    }

    /// <summary>The patient cancels: before the start only; the refund follows <see cref="CancellationPolicy"/>. Cancelling again answers the cancellation.</summary>
    public async Task<Appointment> CancelAsync(string patientNumber, CancelInput input, CancellationToken ct)
    {
        var reason = Reason(input.Reason);
        for (var attempt = 0; ; attempt++)
        {
            var found = await FindOwnAsync(patientNumber, input.AppointmentId, ct);
            var appointment = found.Value;
            var now = time.GetUtcNow();
            if (appointment.Status == AppointmentStatus.Cancelled)
            {
                await ReleaseHoldAsync(slots, appointment, ct);
                return appointment;
            }

            if (appointment.Status == AppointmentStatus.Confirmed && now >= appointment.Start)
                throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status, "a confirmed appointment can be cancelled only before its start");
            var refund = await RefundAsync(payments, appointment, RefundCause.PatientCancelled, options, now, ct);
            var cancelled = appointment.Cancel("patient", reason, refund, now);
            try
            {
                await appointments.ReplaceAsync(cancelled, found.ETag, ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt < 3)
            {
                continue;
            }

            await ReleaseHoldAsync(slots, cancelled, ct);
            await audit.RecordAsync(cancelled, "telemedicine.appointment.cancel", patientNumber, "PATIENT", RefundOutcome(cancelled), ct);
            return cancelled;
        }
    }

    internal static string? Reason(string? reason)
    {
        var trimmed = reason?.Trim();
        if (trimmed is { Length: > 500 }) throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidBooking, "reason is at most 500 characters.", "reason");
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    internal static string RefundOutcome(Appointment appointment) =>
        AppointmentStatuses.Name(appointment.Status) + (appointment.Refund is { } r ? $"; refund {r.AmountPaise} paise ({r.Rule})" : "");

    internal static async Task<Refund?> RefundAsync(ITeleconsultationPayments payments, Appointment appointment, RefundCause cause,
        TelemedicineOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (CancellationPolicy.Refund(appointment, cause, options, now) is not { } due) return null;
        var reference = due.AmountPaise > 0 ? await payments.RefundAsync(appointment.Id, due.AmountPaise, due.Rule, ct) : null;
        return new Refund(due.AmountPaise, due.Rule, now, reference);
    }

    /// <summary>Frees the slot if this appointment still holds it (If-Match, retried); a slot held by another is left alone.</summary>
    internal static async Task ReleaseHoldAsync(ISlotStore slots, Appointment appointment, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var found = await slots.FindAsync(appointment.SlotId, ct);
            if (found is null || found.Value.Hold?.AppointmentId != appointment.Id) return;
            if (await slots.TryReplaceAsync(found.Value with { Hold = null }, found.ETag, ct) is not null) return;
        }
    }

    private async Task MakeHoldPermanentAsync(Appointment appointment, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var found = await FindSlotAsync(appointment.SlotId, ct);
            if (found.Value.Withdrawn || found.Value.Hold?.AppointmentId != appointment.Id) throw HoldLapsed(appointment);
            if (found.Value.Hold.ExpiresAt is null) return;
            if (await slots.TryReplaceAsync(found.Value with { Hold = found.Value.Hold with { ExpiresAt = null } }, found.ETag, ct) is not null) return;
        }

        throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The slot changed meanwhile.", "Try again.");
    }

    /// <summary>A confirmed hold whose appointment has ended otherwise (cancelled after a crash before the slot was freed).</summary>
    private async Task<bool> IsStaleHoldAsync(SlotHold hold, CancellationToken ct) =>
        hold.ExpiresAt is null && await appointments.FindAsync(hold.AppointmentId, ct) is { } holder && holder.Value.IsFinal;

    private async Task<Appointment> FollowUpAsync(string patientNumber, string id, CancellationToken ct)
    {
        var earlier = Guid.TryParse(id, out _) ? await appointments.FindAsync(id, ct) : null;
        var now = time.GetUtcNow();
        return earlier is { Value: var a } && a.PatientNumber == patientNumber && a.Status == AppointmentStatus.Completed
                                           && a.EndedAt is { } ended && now - ended <= TimeSpan.FromDays(options.FollowUpDays)
            ? a
            : throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidFollowUp,
                $"followUpOf must be your completed consultation of the last {options.FollowUpDays} days.", "followUpOf");
    }

    private async Task<Versioned<Slot>> FindSlotAsync(string? slotId, CancellationToken ct) =>
        Slot.IsValidId(slotId) && await slots.FindAsync(slotId!, ct) is { } found ? found : throw TelemedicineErrors.SlotMissing();

    private async Task<Versioned<Appointment>> FindOwnAsync(string patientNumber, string? appointmentId, CancellationToken ct) =>
        Guid.TryParse(appointmentId, out var id) && await appointments.FindAsync(id.ToString(), ct) is { } found
                                                 && found.Value.PatientNumber == patientNumber
            ? found
            : throw TelemedicineErrors.NotFound();

    private static void EnsureBookable(Slot slot, DateTimeOffset now)
    {
        if (slot.Withdrawn)
            throw TelemedicineErrors.Conflict(TelemedicineErrors.SlotUnavailable, "The slot is no longer offered.",
                $"Slot {slot.Id} was withdrawn by the doctor.", slot.Id, "withdrawn");
        if (slot.Start <= now)
            throw TelemedicineErrors.Conflict(TelemedicineErrors.SlotUnavailable, "The slot has started.",
                $"Slot {slot.Id} started at {slot.Start:u}.", slot.Id, "past");
        if (slot.IsHeld(now)) throw Taken(slot);
    }

    private static DomainException Taken(Slot slot) =>
        TelemedicineErrors.Conflict(TelemedicineErrors.SlotTaken, "The slot is already booked.",
            $"Slot {slot.Id} ({slot.Start:u}) is held by another booking; choose another slot.", slot.Id, "held");

    private static DomainException HoldLapsed(Appointment appointment) =>
        new(ErrorKind.Conflict, TelemedicineErrors.HoldExpired, "The hold on the slot has lapsed.",
            $"Appointment {appointment.Id} was not confirmed within {appointment.HoldExpiresAt:u}; start again from init.",
            new Dictionary<string, object?> { ["appointmentId"] = appointment.Id, ["slotId"] = appointment.SlotId });

    private static string? Text(string? value, string field)
    {
        var trimmed = value?.Trim();
        if (trimmed is { Length: > 80 }) throw InvalidSearch($"{field} is at most 80 characters.", field);
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.ToLowerInvariant();
    }

    private static DomainException InvalidSearch(string detail, string field) =>
        TelemedicineErrors.Invalid(TelemedicineErrors.InvalidSearch, detail, field);
}
