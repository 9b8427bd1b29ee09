using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Audit;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Registry;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;
using Ndhm.Telemedicine;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Telemedicine;

/// <summary>The telemedicine services over in-memory ports: stores with Cosmos-like ETags, recording payments, tokens and reminders.</summary>
internal sealed class TelemedicineRig
{
    public const string Facility = "IN3610000001";
    public const string OtherFacility = "IN3610000002";
    public const string Doctor = "71234567890123";
    public const string OtherDoctor = "71234567890456";
    public const string UnverifiedDoctor = "71234567890999";
    public const string Patient = "91123456789012";
    public const string OtherPatient = "91123456789099";

    public static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    public TelemedicineRig()
    {
        Time = new FakeTimeProvider(Now);
        var audit = new TelemedicineAudit(Audit, new NoCurrentActor());
        Availability = new AvailabilityService(Slots, Professionals, Facilities, Options, Time);
        Booking = new BookingService(Slots, Appointments, Payments, audit, Options, Time);
        Consultations = new ConsultationService(Slots, Appointments, Professionals, Facilities, Payments, Tokens, Records, new Patients(), Reminders,
            audit, Options, Time, ProviderRecords);
    }

    public FakeTimeProvider Time { get; }
    public TelemedicineOptions Options { get; } = new();
    public InMemorySlotStore Slots { get; } = new();
    public InMemoryAppointmentStore Appointments { get; } = new();
    public RecordingPayments Payments { get; } = new();
    public RecordingJoinTokens Tokens { get; } = new();
    public InMemoryRecords Records { get; } = new();
    public RecordingProviderRecords ProviderRecords { get; } = new();
    public RecordingReminders Reminders { get; } = new();
    public ConcurrentAuditTrail Audit { get; } = new();
    public FakeProfessionals Professionals { get; } = new();
    public FakeFacilities Facilities { get; } = new();
    public AvailabilityService Availability { get; }
    public BookingService Booking { get; }
    public ConsultationService Consultations { get; }
    public InMemorySignals Signals { get; } = new();
    public ConsultationSignalling Signalling => new(Appointments, Tokens, Signals, Options, Time);

    public static AvailabilityInput Hours(DateTimeOffset from, int slots = 4, int duration = 15, decimal fee = 500m, string facility = Facility,
        string[]? modes = null) =>
        new(facility, "General Medicine", ["English", "Telugu"], modes ?? ["video", "audio", "chat"], fee, duration, from, from.AddMinutes(slots * duration));

    /// <summary>Publishes <paramref name="count"/> 15-minute slots starting tomorrow 09:00 UTC; their ids.</summary>
    public async Task<IReadOnlyList<Slot>> PublishAsync(int count = 4, string doctor = Doctor, DateTimeOffset? from = null, decimal fee = 500m) =>
        await Availability.PublishAsync(doctor, Hours(from ?? Now.Date.AddDays(1).AddHours(9), count, fee: fee,
            facility: doctor == OtherDoctor ? OtherFacility : Facility), CancellationToken.None);

    public async Task<Appointment> BookAsync(string slotId, string patient = Patient, string mode = "video")
    {
        var held = await Booking.InitAsync(patient, new InitInput(slotId, mode), CancellationToken.None);
        return await Booking.ConfirmAsync(patient, new ConfirmInput(held.Id, "pay-" + held.Id[..8], true), CancellationToken.None);
    }

    private sealed class Patients : ITelemedicinePatients
    {
        public Task<string?> DisplayNameAsync(string patientNumber, CancellationToken ct) => Task.FromResult<string?>("Ravi Kumar");
    }
}

internal sealed class FakeFacilities : IFacilityRegistry
{
    public Task<Facility?> FindAsync(FacilityId id, CancellationToken ct) => Task.FromResult<Facility?>(Make(id));

    public Task<Facility> EnsureVerifiedHipAsync(FacilityId id, CancellationToken ct) =>
        id.Value is TelemedicineRig.Facility or TelemedicineRig.OtherFacility
            ? Task.FromResult(Make(id))
            : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.FacilityNotVerified, "The facility is not verified.");

    private static Facility Make(FacilityId id) => new()
    {
        Id = id, Name = id.Value == TelemedicineRig.Facility ? "Apollo Clinic" : "Far Clinic", Type = FacilityType.Clinic,
        Ownership = FacilityOwnership.Private, SystemsOfMedicine = [],
        Address = new FacilityAddress("1 Main Road", null, "Hyderabad", "36", "Telangana", "500001"),
        Location = id.Value == TelemedicineRig.Facility ? new GeoPoint(17.385, 78.4867) : new GeoPoint(28.61, 77.21),
        Contact = new FacilityContact(null, null, null),
        Verified = true, RegisteredBy = "admin", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}

internal sealed class FakeProfessionals : IProfessionalRegistry
{
    /// <summary>Doctors deactivated since they booked (the registry answers PROFESSIONAL_INACTIVE).</summary>
    public HashSet<string> Deactivated { get; } = [];

    public Task<Professional?> FindAsync(HprId id, CancellationToken ct) => Task.FromResult<Professional?>(Make(id));

    public Task<Professional> EnsureVerifiedPractitionerAsync(HprId id, CancellationToken ct)
    {
        if (Deactivated.Contains(id.Value))
            throw new DomainException(ErrorKind.Forbidden, RegistryErrors.ProfessionalInactive, "The professional is deactivated.");
        return id.Value is TelemedicineRig.Doctor or TelemedicineRig.OtherDoctor
            ? Task.FromResult(Make(id))
            : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.ProfessionalNotVerified, "The professional is not verified.");
    }

    private static Professional Make(HprId id) => new()
    {
        Id = id, HprAddress = "anita@hpr.sbx", Name = id.Value == TelemedicineRig.Doctor ? "Anita Sharma" : "Vikram Rao",
        Category = ProfessionalCategory.Doctor, Council = "TSMC", RegistrationNumber = "TSMC/" + id.Value[..4], Qualifications = ["MBBS"],
        Specialties = ["General Medicine"], Languages = ["English"],
        FacilityIds = id.Value == TelemedicineRig.Doctor ? [FacilityId.Parse(TelemedicineRig.Facility)] : [FacilityId.Parse(TelemedicineRig.OtherFacility)],
        Verified = true, RegisteredBy = "admin", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}

/// <summary>Slots in memory with Cosmos-like ETags: every write a new ETag; If-Match is a compare-and-swap under a lock.</summary>
internal sealed class InMemorySlotStore : ISlotStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, Versioned<Slot>> slots = [];

    /// <summary>Every hold ever written, in order: (slot, appointment). What the property test checks.</summary>
    public ConcurrentQueue<(string SlotId, string AppointmentId)> HoldsWritten { get; } = new();

    public async Task<string?> TryCreateAsync(Slot slot, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate)
        {
            if (slots.ContainsKey(slot.Id)) return null;
            var etag = Guid.NewGuid().ToString();
            slots[slot.Id] = new Versioned<Slot>(slot, etag);
            return etag;
        }
    }

    public async Task<Versioned<Slot>?> FindAsync(string slotId, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate) return slots.GetValueOrDefault(slotId);
    }

    public async Task<string?> TryReplaceAsync(Slot slot, string ifMatch, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate)
        {
            if (!slots.TryGetValue(slot.Id, out var current) || current.ETag != ifMatch) return null;
            var etag = Guid.NewGuid().ToString();
            slots[slot.Id] = new Versioned<Slot>(slot, etag);
            if (slot.Hold is { } hold && current.Value.Hold?.AppointmentId != hold.AppointmentId) HoldsWritten.Enqueue((slot.Id, hold.AppointmentId));
            return etag;
        }
    }

    public Task<IReadOnlyList<Slot>> ListForDoctorAsync(string hprId, DateTimeOffset from, DateTimeOffset until, int take, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<Slot>>(slots.Values.Select(v => v.Value)
                .Where(s => s.DoctorHprId == hprId && s.Start >= from && s.Start < until).OrderBy(s => s.Start).Take(take).ToList());
    }

    public Task<IReadOnlyList<Slot>> SearchAsync(SlotQuery q, DateTimeOffset now, int take, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<Slot>>(slots.Values.Select(v => v.Value)
                .Where(s => !s.Withdrawn && !s.IsHeld(now) && s.Start >= q.EarliestStart && (q.LatestStart is null || s.Start <= q.LatestStart)
                            && (q.Specialty is null || s.Specialty.ToLowerInvariant() == q.Specialty)
                            && (q.Language is null || s.Languages.Any(l => l.ToLowerInvariant() == q.Language))
                            && (q.DoctorName is null || s.DoctorName.ToLowerInvariant().Contains(q.DoctorName, StringComparison.Ordinal))
                            && (q.MaxFeePaise is null || s.FeePaise <= q.MaxFeePaise) && (q.Mode is null || s.Modes.Contains(q.Mode.Value))
                            && (q.Within is null || (s.Latitude is { } la && s.Longitude is { } lo && q.Within.Contains(new GeoPoint(la, lo)))))
                .OrderBy(s => s.Start).Take(take).ToList());
    }

    public Slot Get(string id)
    {
        lock (gate) return slots[id].Value;
    }
}

internal sealed class InMemoryAppointmentStore : IAppointmentStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, Versioned<Appointment>> appointments = [];

    public IReadOnlyList<Appointment> All
    {
        get
        {
            lock (gate) return appointments.Values.Select(v => v.Value).ToList();
        }
    }

    public async Task<string> CreateAsync(Appointment appointment, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate)
        {
            if (appointments.ContainsKey(appointment.Id)) throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "exists");
            var etag = Guid.NewGuid().ToString();
            appointments[appointment.Id] = new Versioned<Appointment>(appointment, etag);
            return etag;
        }
    }

    public async Task<Versioned<Appointment>?> FindAsync(string appointmentId, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate) return appointments.GetValueOrDefault(appointmentId);
    }

    public async Task<string> ReplaceAsync(Appointment appointment, string ifMatch, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate)
        {
            if (!appointments.TryGetValue(appointment.Id, out var current) || current.ETag != ifMatch)
                throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "changed");
            var etag = Guid.NewGuid().ToString();
            appointments[appointment.Id] = new Versioned<Appointment>(appointment, etag);
            return etag;
        }
    }

    public Task<IReadOnlyList<Appointment>> ListForDoctorAsync(string hprId, DateTimeOffset from, int take, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<Appointment>>(All.Where(a => a.DoctorHprId == hprId && a.Start >= from && a.Status != AppointmentStatus.Initiated)
                .OrderBy(a => a.Start).Take(take).ToList());
    }

    public Task<IReadOnlyList<Appointment>> ListForPatientAsync(string patientNumber, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Appointment>>(All.Where(a => a.PatientNumber == patientNumber).OrderByDescending(a => a.CreatedAt).Take(take).ToList());

    public Task<IReadOnlyList<string>> ListDueRemindersAsync(DateTimeOffset now, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(All.Where(a => a.Status == AppointmentStatus.Confirmed && a.ReminderSentAt is null && a.ReminderDueAt <= now)
            .Select(a => a.Id).Take(take).ToList());

    public Task<IReadOnlyList<string>> ListUnstartedAsync(DateTimeOffset startedBy, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(All.Where(a => a.Status == AppointmentStatus.Confirmed && a.Start <= startedBy)
            .OrderBy(a => a.Start).Select(a => a.Id).Take(take).ToList());

    public Appointment Get(string id)
    {
        lock (gate) return appointments[id].Value;
    }
}

internal sealed class RecordingPayments : ITeleconsultationPayments
{
    public ConcurrentDictionary<string, (long Amount, string Reference)> Paid { get; } = new();
    public ConcurrentDictionary<string, (long Amount, string Rule)> Refunded { get; } = new();

    public Task RecordPaymentAsync(string appointmentId, long amountPaise, string paymentReference, CancellationToken ct)
    {
        Paid.TryAdd(appointmentId, (amountPaise, paymentReference));
        return Task.CompletedTask;
    }

    public Task<string> RefundAsync(string appointmentId, long amountPaise, string rule, CancellationToken ct)
    {
        Refunded.TryAdd(appointmentId, (amountPaise, rule));
        return Task.FromResult("refund-" + appointmentId[..8]);
    }
}

internal sealed class RecordingJoinTokens : IJoinTokens
{
    public List<(string Consultation, string Participant, string Role, TimeSpan Lifetime)> Issued { get; } = [];

    public Task<JoinToken> IssueAsync(string consultationId, string participant, string participantRole, TimeSpan lifetime, CancellationToken ct)
    {
        Issued.Add((consultationId, participant, participantRole, lifetime));
        return Task.FromResult(new JoinToken(Token(consultationId, participantRole, participant), "consultation:" + consultationId, TelemedicineRig.Now + lifetime));
    }

    /// <summary>A fake token that names what a real one signs: the consultation (audience), the role and the subject.</summary>
    public static string Token(string consultationId, string role, string subject) => $"join|{consultationId}|{role}|{subject}";

    public Task<Participant> VerifyAsync(string token, string consultationId, CancellationToken ct)
    {
        var parts = token.Split('|');
        if (parts is not ["join", var audience, var role, var subject] || audience != consultationId || role is not ("DOCTOR" or "PATIENT"))
            throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.InvalidToken, "The token audience is not accepted.", "test");
        return Task.FromResult(role == "DOCTOR" ? Participant.Doctor(subject) : Participant.Patient(subject));
    }
}

/// <summary>Signals in memory, numbered under a lock as the Cosmos adapter numbers them with create-only writes.</summary>
internal sealed class InMemorySignals : IConsultationSignals
{
    private readonly List<Signal> all = [];

    public Task<Signal?> AppendAsync(Signal signal, int max, CancellationToken ct)
    {
        lock (all)
        {
            var next = all.Count(s => s.ConsultationId == signal.ConsultationId) + 1;
            if (next > max) return Task.FromResult<Signal?>(null);
            var numbered = signal with { Sequence = next };
            all.Add(numbered);
            return Task.FromResult<Signal?>(numbered);
        }
    }

    public Task<IReadOnlyList<Signal>> ListAfterAsync(string consultationId, long after, int take, CancellationToken ct)
    {
        lock (all)
            return Task.FromResult<IReadOnlyList<Signal>>(all.Where(s => s.ConsultationId == consultationId && s.Sequence > after)
                .OrderBy(s => s.Sequence).Take(take).ToList());
    }
}

internal sealed class InMemoryRecords : IConsultationRecords
{
    public ConcurrentDictionary<string, (string Patient, string Bundle)> Saved { get; } = new();

    public Task<string> SaveAsync(string patientNumber, string appointmentId, string bundleJson, CancellationToken ct)
    {
        Saved[appointmentId] = (patientNumber, bundleJson);
        return Task.FromResult(appointmentId);
    }

    public Task<string?> ReadAsync(string patientNumber, string recordId, CancellationToken ct) =>
        Task.FromResult(Saved.TryGetValue(recordId, out var saved) && saved.Patient == patientNumber ? saved.Bundle : null);
}

/// <summary>What was added to the patient's health record (every call, repeats included: the port itself is idempotent).</summary>
internal sealed class RecordingProviderRecords : Ndhm.Core.Records.IProviderRecords
{
    public ConcurrentQueue<Ndhm.Core.Records.ProviderRecord> Added { get; } = new();

    public Task AddAsync(Ndhm.Core.Records.ProviderRecord record, CancellationToken ct)
    {
        Added.Enqueue(record);
        return Task.CompletedTask;
    }
}

internal sealed class RecordingReminders : IAppointmentReminders
{
    public ConcurrentQueue<(string AppointmentId, DateTimeOffset Start)> Sent { get; } = new();

    public Task SendAsync(Appointment appointment, CancellationToken ct)
    {
        Sent.Enqueue((appointment.Id, appointment.Start));
        return Task.CompletedTask;
    }
}

internal sealed class ConcurrentAuditTrail : IAuditTrail
{
    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct)
    {
        Events.Enqueue(auditEvent);
        return Task.FromResult(AuditEntry.From(auditEvent, Events.Count, AuditHashing.Genesis, DateTimeOffset.UnixEpoch));
    }
}
