using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>
/// The teleclinic's desk (<c>/teleclinic/...</c>): what its operator (or a test) does for the clinic's doctors. Each
/// act is the doctor's own call to the platform; the platform's status and body come back as they are.
/// </summary>
public static class TeleclinicEndpoints
{
    public static void Map(WebApplication app, SampleTeleclinic clinic)
    {
        var root = "/" + clinic.Partner.Name;

        app.MapGet(root + "/doctors", () => Results.Ok(new { facilityId = clinic.Partner.FacilityId, doctors = clinic.Doctors.Select(d => d.Describe()) }));

        // The doctors' slots (open, held by an appointment, withdrawn), soonest first; from/until as ISO 8601.
        app.MapGet(root + "/slots", async (string? from, string? until, CancellationToken ct) => Pass(await clinic.SlotsAsync(from, until, ct)));

        // More availability: one doctor (key or HPR id) or all, for the next hours, after the last slot each already has.
        app.MapPost(root + "/availability", async (AvailabilityAsk ask, CancellationToken ct) =>
        {
            TeleclinicDoctor? only = null;
            if (ask.Doctor is not null && (only = clinic.Doctor(ask.Doctor)) is null)
                return Results.NotFound(new { error = $"no doctor {ask.Doctor} at {clinic.Partner.DisplayName}" });
            var published = await clinic.PublishAvailabilityAsync(only, ask.Hours ?? SampleTeleclinic.StartupAvailabilityHours, ct);
            return Results.Ok(new
            {
                doctors = published.Select(p => new
                {
                    hprId = p.Doctor.HprId,
                    status = p.Answer is null ? 200 : (int)p.Answer.Status,
                    published = p.Answer is { Ok: true } ? p.Answer.Json.GetProperty("slots").GetArrayLength() : 0,
                    answer = p.Answer is { Ok: false } ? p.Answer.Body : null,
                }),
            });
        });

        // The platform tells a provider nothing of its bookings: the desk asks for each doctor's appointments now.
        app.MapGet(root + "/appointments", async (string? from, CancellationToken ct) => Pass(await clinic.AppointmentsAsync(from, ct)));

        app.MapGet(root + "/consultations/{id}", (string id, CancellationToken ct) => AsOwnerAsync(clinic, id, ct, async (doctor, path) =>
        {
            var read = await clinic.AsDoctorAsync(doctor, HttpMethod.Get, path, null, ct);
            if (!read.Ok) return Pass(read);
            return Results.Ok(new { consultation = read.Json, notes = clinic.Notes(id) });
        }));

        app.MapPost(root + "/consultations/{id}/start", (string id, CancellationToken ct) => AsOwnerAsync(clinic, id, ct,
            async (doctor, path) => Pass(await clinic.AsDoctorAsync(doctor, HttpMethod.Post, path + "/start", null, ct))));

        app.MapPost(root + "/consultations/{id}/join-token", (string id, CancellationToken ct) => AsOwnerAsync(clinic, id, ct,
            async (doctor, path) => Pass(await clinic.AsDoctorAsync(doctor, HttpMethod.Post, path + "/join-token", null, ct))));

        // The doctor writes (or rewrites) the notes while consulting; they go to the platform with end.
        app.MapPut(root + "/consultations/{id}/notes", (string id, ConsultationNotes written, CancellationToken ct) => AsOwnerAsync(clinic, id, ct, (_, _) =>
        {
            clinic.WriteNotes(id, written);
            return Task.FromResult(Results.Ok(new { appointmentId = id, notes = written }));
        }));

        // Ends with the notes in the body, else the ones written; the platform makes them the patient's OPConsultRecord.
        app.MapPost(root + "/consultations/{id}/end", (string id, HttpRequest request, CancellationToken ct) => AsOwnerAsync(clinic, id, ct, async (doctor, path) =>
        {
            var given = await ReadOptionalAsync<ConsultationNotes>(request, ct) is { IsEmpty: false } written ? written : null;
            if (given is not null) clinic.WriteNotes(id, given);
            return Pass(await clinic.AsDoctorAsync(doctor, HttpMethod.Post, path + "/end", given ?? clinic.Notes(id), ct));
        }));

        app.MapPost(root + "/consultations/{id}/cancel", (string id, HttpRequest request, CancellationToken ct) => AsOwnerAsync(clinic, id, ct, async (doctor, path) =>
        {
            var reason = await ReadOptionalAsync<JsonElement?>(request, ct);
            return Pass(await clinic.AsDoctorAsync(doctor, HttpMethod.Post, path + "/cancel",
                reason is { ValueKind: JsonValueKind.Object } given ? given.GetRawText() : null, ct));
        }));

        app.MapGet(root + "/consultations/{id}/record", (string id, CancellationToken ct) => AsOwnerAsync(clinic, id, ct,
            async (doctor, path) => Pass(await clinic.AsDoctorAsync(doctor, HttpMethod.Get, path + "/record", null, ct))));

        // The doctor prescribes: {conditionCode?, items: [{drugCode, dosage, frequencyPerDay, durationDays, quantity, substitutionAllowed?}]},
        // checked by the platform against the Telemedicine Practice Guidelines lists; an Idempotency-Key header passes through.
        app.MapPost(root + "/consultations/{id}/prescriptions", (string id, HttpRequest request, CancellationToken ct) => AsOwnerAsync(clinic, id, ct, async (doctor, _) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(ct);
            var key = request.Headers["Idempotency-Key"].ToString();
            var headers = key.Length == 0 ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key };
            return Pass(await clinic.AsDoctorAsync(doctor, HttpMethod.Post, $"api/v1/consultations/{Uri.EscapeDataString(id)}/prescriptions",
                body.Length == 0 ? "{}" : body, ct, headers));
        }));
    }

    /// <summary>An optional JSON body (absent, empty or chunked alike); default when there is none.</summary>
    private static async Task<T?> ReadOptionalAsync<T>(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        return string.IsNullOrWhiteSpace(text) ? default : JsonSerializer.Deserialize<T>(text, SampleJson.Options);
    }

    private static async Task<IResult> AsOwnerAsync(SampleTeleclinic clinic, string id, CancellationToken ct, Func<TeleclinicDoctor, string, Task<IResult>> act) =>
        await clinic.DoctorOfAsync(id, ct) is { } doctor
            ? await act(doctor, $"api/v1/telemedicine/consultations/{Uri.EscapeDataString(id)}")
            : Results.NotFound(new { error = $"no consultation {id} with {clinic.Partner.DisplayName}'s doctors" });

    private static IResult Pass(PlatformAnswer answer) =>
        answer.Body.Length == 0 ? Results.StatusCode((int)answer.Status) : Results.Content(answer.Body, "application/json", statusCode: (int)answer.Status);
}
