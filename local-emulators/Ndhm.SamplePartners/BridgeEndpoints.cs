using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>
/// The partners' bridges (<c>POST /{partner}/{path}</c>, the URL each was registered with) and the endpoints for
/// people and tests: what was received and sent, the HIPs' text messages, their patients and consents, the HIUs'
/// consent requests.
/// </summary>
public static class BridgeEndpoints
{
    public static void Map(WebApplication app, SamplePartnerSet set)
    {
        var inbox = set.Inbox;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ndhm.SamplePartners.Bridge");
        var stopping = app.Lifetime.ApplicationStopping;

        app.MapGet("/health", () => Results.Ok(new { status = set.Ready ? "ready" : "registering", platform = set.Platform.ToString() }));

        app.MapGet("/partners", () => Results.Ok(new { partners = set.All.Select(p => p.Describe()) }));

        // Everything received and sent, newest first; filter by partner, path suffix, direction (received | sent), after a seq.
        app.MapGet("/inbox", (string? partner, string? path, string? direction, long? after, int? max) =>
            Results.Ok(new { entries = inbox.List(partner, path, direction, after ?? 0, max ?? 200) }));

        // A bridge: record, answer 202 at once (as ABDM bridges do), then act on it.
        app.MapPost("/{partner}/{**path}", async (string partner, string path, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync();
            var messagePath = "/" + path;
            inbox.RecordReceived(partner, messagePath, request.Headers, text);
            var handler = set.HandlerFor(partner, messagePath);
            if (handler is null) return Results.Accepted();
            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                return Results.BadRequest(new { error = new { code = "ABDM-1017", message = "The body is not JSON." } });
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await handler(body, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "{Partner} failed to handle {Path}", partner, messagePath);
                }
            }, CancellationToken.None);
            return Results.Accepted();
        });

        app.MapGet("/{partner}/sms", (string partner, string? mobile) =>
            set.Hip(partner) is null ? Results.NotFound() : Results.Ok(new { messages = inbox.Sms(partner, mobile) }));

        app.MapGet("/{partner}/patients", (string partner) => set.Hip(partner) is { } hip
            ? Results.Ok(new { patients = hip.Patients, linked = hip.LinkedAddresses })
            : Results.NotFound());

        // A patient registered at the HIP's counter (tests register one matching their own test identity).
        app.MapPost("/{partner}/patients", (string partner, DemoPatient patient) => set.Hip(partner) is { } hip
            ? Results.Ok(hip.AddPatient(patient))
            : Results.NotFound());

        app.MapGet("/{partner}/consents", (string partner) => set.Hip(partner) is { } hip
            ? Results.Ok(new { consents = hip.Consents })
            : Results.NotFound());

        // The HIU's staff ask for a patient's records: hip is a sample HIP's name (hospital, lab) or a facility id.
        app.MapPost("/{partner}/consent-requests", async (string partner, ConsentAsk ask, CancellationToken ct) =>
        {
            if (set.Hiu(partner) is not { } hiu) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(ask.Patient) || string.IsNullOrWhiteSpace(ask.Hip))
            {
                return Results.BadRequest(new { error = "patient (ABHA address) and hip (hospital, lab or a facility id) are required" });
            }

            var facility = set.Hip(ask.Hip)?.Partner.FacilityId ?? ask.Hip;
            var (request, answer) = await hiu.AskAsync(ask, facility, ct);
            return Results.Json(hiu.Describe(request), statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });

        app.MapGet("/{partner}/consent-requests", (string partner) => set.Hiu(partner) is { } hiu
            ? Results.Ok(new { consentRequests = hiu.Requests.Select(hiu.Describe) })
            : Results.NotFound());

        app.MapGet("/{partner}/consent-requests/{id}", (string partner, string id) => set.Hiu(partner)?.Find(id) is { } request
            ? Results.Ok(set.Hiu(partner)!.Describe(request))
            : Results.NotFound());
    }
}
