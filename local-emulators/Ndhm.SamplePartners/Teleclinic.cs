using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>A doctor on the sample teleclinic's roster: who they are in the HPR and what they offer.</summary>
public sealed record TeleclinicDoctor(string Key, string Name, string Specialty, IReadOnlyList<string> Languages, IReadOnlyList<string> Modes,
    decimal FeeInr, int SlotMinutes)
{
    /// <summary>The HPR id the registry gave them (known after registration).</summary>
    public string HprId { get; set; } = "";

    public object Describe() => new { key = Key, hprId = HprId, name = Name, specialty = Specialty, languages = Languages, modes = Modes, feeInr = FeeInr, slotMinutes = SlotMinutes };
}

/// <summary>What the doctor writes during a consultation; sent with <c>end</c>, it becomes the patient's OPConsultRecord.</summary>
public sealed record ConsultationNotes(string? ChiefComplaint, string? Diagnosis, string? ConditionCode, string? Advice)
{
    public bool IsEmpty => ChiefComplaint is null && Diagnosis is null && ConditionCode is null && Advice is null;
}

/// <summary>The desk asks for more availability: one doctor (by key or HPR id) or all, for the next <c>Hours</c>.</summary>
public sealed record AvailabilityAsk(string? Doctor, int? Hours);

/// <summary>
/// The sample teleconsultation provider (a UHI HSPA-style clinic, "Sample Tele Clinic"): verified HPR doctors at its
/// verified HFR facility publish availability, and its desk starts and ends their consultations, keeps the doctor's
/// notes and issues prescriptions, all over the platform's public HTTP API.
/// <para>
/// The doctors act with their own tokens, as the HPR login gives a doctor one: in the sandbox the platform's token
/// endpoint issues it (subject and claim <c>hprId</c> the doctor's HPR id, roles TELECONSULT for the teleconsultation
/// endpoints and HEALTH_WORKER for prescribing). The clinic's partner session (role TELECONSULT) names no doctor, so
/// the platform refuses it doctor's acts (NOT_A_DOCTOR).
/// </para>
/// <para>
/// The platform sends a provider nothing about its bookings (its UHI <c>on_</c> callbacks go to the PHR app that
/// booked, a patient's own booking calls back no one), so the desk asks for each doctor's appointments when an operator
/// looks (<c>GET /api/v1/telemedicine/doctor/appointments</c>). It does not poll in the background: every listing is
/// an audit entry on each listed patient's chain.
/// </para>
/// </summary>
public sealed class SampleTeleclinic(SamplePartner partner, PlatformClient platform)
{
    /// <summary>How far ahead availability is published when the process starts (a rolling operator can ask for more).</summary>
    public const int StartupAvailabilityHours = 4;

    private const int MaxAvailabilityHours = 24;
    private static readonly TimeSpan DoctorTokenLifetime = TimeSpan.FromMinutes(60);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> doctorTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TeleclinicDoctor> owners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConsultationNotes> notes = new(StringComparer.Ordinal);

    public SamplePartner Partner { get; } = partner;

    public IReadOnlyList<TeleclinicDoctor> Doctors { get; } =
    [
        new("general", "Kavita Joshi", "General Medicine", ["English", "Hindi", "Marathi"], ["video", "audio", "chat"], 400m, 15),
        new("skin", "Imran Shaikh", "Dermatology", ["English", "Hindi", "Urdu"], ["video"], 600m, 20),
    ];

    public TeleclinicDoctor? Doctor(string? keyOrHprId) =>
        Doctors.FirstOrDefault(d => d.Key == keyOrHprId || d.HprId == keyOrHprId);

    /// <summary>The doctor's own token (cached until a minute before it runs out).</summary>
    public async Task<string> DoctorTokenAsync(TeleclinicDoctor doctor, CancellationToken ct)
    {
        if (doctorTokens.TryGetValue(doctor.HprId, out var held) && DateTimeOffset.UtcNow < held.ExpiresAt - TimeSpan.FromMinutes(1)) return held.Token;
        var token = (await platform.SendAsync(HttpMethod.Post, "api/sandbox/tokens", null, new
        {
            subject = doctor.HprId,
            roles = new[] { "TELECONSULT", "HEALTH_WORKER" },
            hprId = doctor.HprId,
            lifetimeMinutes = (int)DoctorTokenLifetime.TotalMinutes,
        }, ct: ct)).EnsureOk($"{doctor.Name}'s token").Json.GetProperty("accessToken").GetString()!;
        doctorTokens[doctor.HprId] = (token, DateTimeOffset.UtcNow + DoctorTokenLifetime);
        return token;
    }

    /// <summary>A platform call as the doctor.</summary>
    public async Task<PlatformAnswer> AsDoctorAsync(TeleclinicDoctor doctor, HttpMethod method, string path, object? body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null) =>
        await platform.SendAsync(method, path, await DoctorTokenAsync(doctor, ct), body, headers, ct);

    /// <summary>
    /// Publishes each doctor's (or one doctor's) slots from the next slot boundary (at least five minutes ahead) for
    /// <paramref name="hours"/>, after the last slot they already have: publishing refuses overlaps, so a restart or a
    /// repeated ask publishes only what is missing. One answer per doctor: the platform's, or null when nothing was missing.
    /// </summary>
    public async Task<IReadOnlyList<(TeleclinicDoctor Doctor, PlatformAnswer? Answer)>> PublishAvailabilityAsync(TeleclinicDoctor? only, int hours, CancellationToken ct)
    {
        hours = Math.Clamp(hours, 1, MaxAvailabilityHours);
        var results = new List<(TeleclinicDoctor, PlatformAnswer?)>();
        foreach (var doctor in only is null ? Doctors : [only])
        {
            var now = DateTimeOffset.UtcNow;
            var from = NextBoundary(now.AddMinutes(5), doctor.SlotMinutes);
            var until = from.AddHours(hours);
            var existing = (await AsDoctorAsync(doctor, HttpMethod.Get, $"api/v1/telemedicine/slots?from={Iso(now.AddHours(-2))}&until={Iso(until)}", null, ct))
                .EnsureOk($"{doctor.Name}'s slots").Json.GetProperty("slots").EnumerateArray()
                .Where(s => s.GetProperty("state").GetString() != "withdrawn")
                .Select(s => s.GetProperty("start").GetDateTimeOffset().AddMinutes(s.GetProperty("durationMinutes").GetInt32()))
                .DefaultIfEmpty(from).Max();
            if (existing > from) from = NextBoundary(existing, doctor.SlotMinutes);
            if (from.AddMinutes(doctor.SlotMinutes) > until)
            {
                results.Add((doctor, null));
                continue;
            }

            results.Add((doctor, await AsDoctorAsync(doctor, HttpMethod.Post, "api/v1/telemedicine/slots", new
            {
                facilityId = Partner.FacilityId,
                specialty = doctor.Specialty,
                languages = doctor.Languages,
                modes = doctor.Modes,
                feeInr = doctor.FeeInr,
                durationMinutes = doctor.SlotMinutes,
                from = Iso(from),
                until = Iso(until),
            }, ct)));
        }

        return results;
    }

    /// <summary>The doctors' slots as the platform shows them to each (open, held, withdrawn), soonest first.</summary>
    public async Task<PlatformAnswer> SlotsAsync(string? from, string? until, CancellationToken ct)
    {
        var query = Query(("from", from), ("until", until));
        return await MergeAsync(d => AsDoctorAsync(d, HttpMethod.Get, "api/v1/telemedicine/slots" + query, null, ct), "slots", "start");
    }

    /// <summary>The doctors' booked consultations (confirmed and later), polled now; remembers whose each is.</summary>
    public async Task<PlatformAnswer> AppointmentsAsync(string? from, CancellationToken ct)
    {
        var query = Query(("from", from));
        var merged = await MergeAsync(d => AsDoctorAsync(d, HttpMethod.Get, "api/v1/telemedicine/doctor/appointments" + query, null, ct), "appointments", "start");
        if (merged.Ok)
        {
            foreach (var appointment in merged.Json.GetProperty("appointments").EnumerateArray())
            {
                if (Doctor(appointment.GetProperty("doctorHprId").GetString()) is { } doctor) owners[appointment.GetProperty("appointmentId").GetString()!] = doctor;
            }
        }

        return merged;
    }

    /// <summary>Which of the clinic's doctors holds the consultation (the platform answers each doctor only their own), or null.</summary>
    public async Task<TeleclinicDoctor?> DoctorOfAsync(string appointmentId, CancellationToken ct)
    {
        if (owners.TryGetValue(appointmentId, out var known)) return known;
        foreach (var doctor in Doctors)
        {
            var read = await AsDoctorAsync(doctor, HttpMethod.Get, $"api/v1/telemedicine/consultations/{Uri.EscapeDataString(appointmentId)}", null, ct);
            if (read.Ok) return owners[appointmentId] = doctor;
            // 404 (another doctor's, or none) and 400 (not an id at all) name nothing of this doctor's; an outage is the caller's to see.
            if ((int)read.Status >= 500) read.EnsureOk($"read consultation {appointmentId}");
        }

        return null;
    }

    public ConsultationNotes? Notes(string appointmentId) => notes.GetValueOrDefault(appointmentId);

    public void WriteNotes(string appointmentId, ConsultationNotes written) => notes[appointmentId] = written;

    private async Task<PlatformAnswer> MergeAsync(Func<TeleclinicDoctor, Task<PlatformAnswer>> read, string list, string orderBy)
    {
        var items = new List<JsonElement>();
        foreach (var doctor in Doctors)
        {
            var answer = await read(doctor);
            if (!answer.Ok) return answer;
            items.AddRange(answer.Json.GetProperty(list).EnumerateArray());
        }

        var ordered = items.OrderBy(i => i.GetProperty(orderBy).GetDateTimeOffset()).ToList();
        return new PlatformAnswer(HttpStatusCode.OK, JsonSerializer.Serialize(new Dictionary<string, object> { [list] = ordered }, SampleJson.Options));
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }

    private static DateTimeOffset NextBoundary(DateTimeOffset at, int minutes)
    {
        var midnight = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        var steps = Math.Ceiling((at - midnight).TotalMinutes / minutes);
        return midnight.AddMinutes(steps * minutes);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:00'Z'", CultureInfo.InvariantCulture);
}
