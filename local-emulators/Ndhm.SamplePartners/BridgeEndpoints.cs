using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>
/// The partners' bridges (<c>POST /{partner}/{path}</c>, the URL each was registered with) and the endpoints for
/// people and tests: what was received and sent, the HIPs' text messages, their patients and consents, the HIUs'
/// consent requests.
/// </summary>
public sealed record CounterAsk(string? CounterId);

public sealed record SmsAsk(string? PhoneNo, string? ReceiverName, string? CareContextInfo, string? DeeplinkUrl);

public static class BridgeEndpoints
{
    private static readonly TimeSpan ArtefactFetchWait = TimeSpan.FromSeconds(30);

    public static void Map(WebApplication app, SamplePartnerSet set)
    {
        var inbox = set.Inbox;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ndhm.SamplePartners.Bridge");
        var stopping = app.Lifetime.ApplicationStopping;

        app.MapGet("/health", () => Results.Ok(new { status = set.Ready ? "ready" : "registering", platform = set.Platform.ToString() }));

        app.MapGet("/partners", () => Results.Ok(new { partners = set.All.Select(p => p.Describe()) }));

        // The partner's own credentials, as its developer has them in its configuration: what `ndhm conformance` is given.
        // Only to this machine: the process listens on loopback today, but a secret must not depend on how it is bound.
        app.MapGet("/{partner}/credentials", (string partner, HttpContext http) =>
            http.Connection.RemoteIpAddress is not { } remote || !System.Net.IPAddress.IsLoopback(remote)
                ? Results.StatusCode(StatusCodes.Status403Forbidden)
                : set.All.FirstOrDefault(p => p.Name == partner) is { ClientSecret: not null } who
                    ? Results.Ok(new { clientId = who.ClientId, clientSecret = who.ClientSecret, brokenBridge = who.BrokenBridge })
                    : Results.NotFound());

        // Everything received and sent, newest first; filter by partner, path suffix, direction (received | sent), after a seq.
        app.MapGet("/inbox", (string? partner, string? path, string? direction, long? after, int? max) =>
            Results.Ok(new { entries = inbox.List(partner, path, direction, after ?? 0, max ?? 200) }));

        // A HIU's data-push URL (the dataPushUrl of its health-information requests): the HIU-side library answers.
        app.MapPost("/{partner}/v0.5/health-information/transfer", async (string partner, HttpRequest request, CancellationToken ct) =>
        {
            if (set.Hiu(partner) is not { } hiu) return Results.NotFound();
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(ct);
            inbox.RecordReceived(partner, "/v0.5/health-information/transfer", request.Headers, text);
            if (hiu.Partner.BrokenBridge == "refuse-push")
                return Results.BadRequest(new { error = new { code = "ABDM-1017", message = "Deliberately broken (--broken-bridge refuse-push): every push is refused." } });
            try
            {
                var page = JsonSerializer.Deserialize<Ndhm.DataTransfer.DataPushPage>(text, SampleJson.Options);
                var bearer = request.Headers.Authorization.ToString();
                var received = await hiu.Data.ReceiveAsync(page, bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer[7..] : null, ct);
                // Receipt is reported after the HIP has its answer, as ABDM's HIUs do once they have read what arrived.
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await hiu.Data.ReportReceiptAsync(received, stopping);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogError(e, "{Partner} failed to report receipt of {Transaction}", partner, received.TransactionId);
                    }
                }, CancellationToken.None);
                return Results.Json(received, SampleJson.Options, statusCode: StatusCodes.Status202Accepted);
            }
            catch (Ndhm.Core.Errors.DomainException e)
            {
                return Results.Json(new { error = new { code = e.Code, message = e.Title } }, statusCode: HiuData.StatusFor(e));
            }
            catch (JsonException)
            {
                return Results.BadRequest(new { error = new { code = "ABDM-1017", message = "The body is not JSON." } });
            }
        });

        // A HIP's link entries: whoever holds the unguessable URL gets the ciphertext (only the HIU's key opens it) until
        // the transfer ends; no listing, no other way in. Recorded in the inbox as received, without the token.
        app.MapGet("/{partner}/entries/{token}", (string partner, string token, HttpRequest request, HttpResponse response) =>
        {
            if (set.Hip(partner) is not { } hip) return Results.NotFound();
            inbox.RecordReceived(partner, "/entries", request.Headers, "");
            if (!hip.Entries.TryGet(token, out var content)) return Results.NotFound();
            response.Headers.CacheControl = "no-store";
            return Results.Bytes(content, "text/plain; charset=utf-8");
        });

        // The HIU's staff ask for the data of a granted artefact; its records once pushed.
        app.MapPost("/{partner}/health-information-requests", async (string partner, HiDataAsk ask, CancellationToken ct) =>
        {
            if (set.Hiu(partner) is not { } hiu) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(ask.ConsentId)) return Results.BadRequest(new { error = "consentId (a granted artefact's id) is required" });
            // The HIU learns which HIP may push under the artefact only from the artefact itself (consents/fetch, started
            // when the grant was notified): asking before it arrived would refuse that HIP's push. Staff who ask right
            // after the grant wait for the fetch a little; past that the ask is refused, never sent half-known.
            var fetchDeadline = DateTime.UtcNow + ArtefactFetchWait;
            while (hiu.Artefact(ask.ConsentId) is null)
            {
                if (DateTime.UtcNow > fetchDeadline)
                    return Results.Conflict(new { error = $"the consent artefact {ask.ConsentId} has not been fetched (consents/on-fetch) yet; ask again shortly" });
                await Task.Delay(100, ct);
            }

            var (requestId, answer) = await hiu.Data.RequestAsync(ask, ct);
            return Results.Json(new { requestId, status = (int)answer.Status }, statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });

        // What the platform answered to one data request (on-request): PENDING, ACKNOWLEDGED with the transaction, or REFUSED with the error.
        app.MapGet("/{partner}/health-information-requests/{requestId}", (string partner, string requestId) =>
            set.Hiu(partner)?.Data.Outcomes.GetValueOrDefault(requestId) is { } outcome ? Results.Ok(outcome) : Results.NotFound());

        // consentId narrows to one artefact's records (a benchmark polls its own transfer without reading every record).
        app.MapGet("/{partner}/health-records", (string partner, string? consentId) => set.Hiu(partner) is { } hiu
            ? Results.Ok(new
            {
                transactions = hiu.Data.Transactions.Keys,
                records = hiu.Data.Records.Where(r => consentId is null || r.ConsentArtefactId == consentId).Select(r => new
                {
                    r.TransactionId, r.ConsentArtefactId, r.PatientId, r.HipId, r.CareContextReference, r.HiType, r.DataEraseAt,
                    bundleBytes = r.FhirBundleJson.Length,
                    receivedAt = hiu.Data.ReceivedAt.TryGetValue((r.TransactionId, r.CareContextReference), out var at) ? at : (DateTimeOffset?)null,
                }),
            })
            : Results.NotFound());

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

        // The partner's desk authenticates a patient (users/auth/init; DIRECT: the patient answers in their app, the
        // partner hears through users/auth/notify and acknowledges; DEMOGRAPHICS: confirmed with the demographic given);
        // then how it stands, by init requestId or transactionId.
        app.MapPost("/{partner}/users-auth", async (string partner, AuthAsk ask, CancellationToken ct) =>
        {
            var desk = set.Hip(partner)?.Auth ?? set.Hiu(partner)?.Auth;
            if (desk is null) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(ask.Patient)) return Results.BadRequest(new { error = "patient (ABHA address) is required" });
            var (session, answer) = await desk.AskAsync(ask, ct);
            return Results.Json(PatientAuthDesk.Describe(session), statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });

        app.MapGet("/{partner}/users-auth/{id}", (string partner, string id) =>
            (set.Hip(partner)?.Auth ?? set.Hiu(partner)?.Auth)?.Find(id) is { } session ? Results.Ok(PatientAuthDesk.Describe(session)) : Results.NotFound());

        // HIP-initiated linking at the desk: authenticate the patient for LINK (DIRECT, MOBILE_OTP with the OTP step below, or DEMOGRAPHICS) and link a new visit as a care
        // context with the access token (add-contexts); then how it stands (AUTHENTICATING, LINKING, LINKED, DENIED, FAILED).
        app.MapPost("/{partner}/care-context-links", async (string partner, CareContextLinkAsk ask, CancellationToken ct) =>
        {
            if (set.Hip(partner) is not { } hip) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(ask.Patient)) return Results.BadRequest(new { error = "patient (ABHA address) is required" });
            if (ask.AuthMode is not (null or "DIRECT" or "MOBILE_OTP" or "DEMOGRAPHICS"))
                return Results.BadRequest(new { error = "the desk links with DIRECT, MOBILE_OTP or DEMOGRAPHICS authentication" });
            if (ask.AuthMode == "DEMOGRAPHICS" && hip.CareContextLinks.DemographicOf(ask) is null)
                return Results.BadRequest(new { error = $"DEMOGRAPHICS: demographic {{name, gender, dateOfBirth}} is required, the hospital holds no record of {ask.Patient}" });
            var (job, answer) = await hip.CareContextLinks.AskAsync(ask, ct);
            return Results.Json(HipCareContextLinks.Describe(job), statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });

        // MOBILE_OTP: the OTP the patient read to the staff (users/auth/confirm; on-confirm's access token links the visit).
        app.MapPost("/{partner}/care-context-links/{id}/otp", async (string partner, string id, CareContextLinkOtp body, CancellationToken ct) =>
        {
            if (set.Hip(partner) is not { } hip || hip.CareContextLinks.Find(id) is not { } job) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(body.Otp)) return Results.BadRequest(new { error = "otp is required" });
            var answer = await hip.CareContextLinks.ConfirmOtpAsync(id, body.Otp.Trim(), ct);
            if (answer is null) return Results.Conflict(new { error = $"link {id} is {job.Shown} ({job.AuthMode}), not awaiting an OTP" });
            return Results.Json(HipCareContextLinks.Describe(job), statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });

        app.MapGet("/{partner}/care-context-links/{id}", (string partner, string id) => set.Hip(partner)?.CareContextLinks.Find(id) is { } job
            ? Results.Ok(HipCareContextLinks.Describe(job))
            : Results.NotFound());

        // One partner's ABDM messages, newest first (what `ndhm conformance --desk-url` reads to check them against ABDM's schema).
        app.MapGet("/{partner}/messages", (string partner, string? path, string? direction, int? max) =>
            set.All.Any(p => p.Name == partner)
                ? Results.Ok(new { entries = inbox.List(partner, path, direction, 0, max ?? 200) })
                : Results.NotFound());

        app.MapGet("/{partner}/sms", (string partner, string? mobile) =>
            set.Hip(partner) is null ? Results.NotFound() : Results.Ok(new { messages = inbox.Sms(partner, mobile) }));

        app.MapGet("/{partner}/patients", (string partner) => set.Hip(partner) is { } hip
            ? Results.Ok(new { patients = hip.Patients, linked = hip.LinkedAddresses, statuses = hip.PatientStatuses })
            : Results.NotFound());

        // A patient registered at the HIP's counter (tests register one matching their own test identity).
        app.MapPost("/{partner}/patients", (string partner, DemoPatient patient) => set.Hip(partner) is { } hip
            ? Results.Ok(hip.AddPatient(patient))
            : Results.NotFound());

        // A visit or a report recorded at the HIP for one of its patients: a care context it offers at discovery and sends once consented.
        app.MapPost("/{partner}/patients/{reference}/care-contexts", (string partner, string reference, DemoCareContext careContext) =>
        {
            if (set.Hip(partner) is not { } hip) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(careContext.ReferenceNumber) || string.IsNullOrWhiteSpace(careContext.Display) || careContext.HiTypes is not { Count: > 0 })
                return Results.BadRequest(new { error = "referenceNumber, display and hiTypes (one or more ABDM hiTypes) are required" });
            return hip.AddCareContext(reference, careContext) is { } patient ? Results.Ok(patient) : Results.NotFound(new { error = $"no patient {reference} at {partner}" });
        });

        // The HIP's desk asks the platform for a signed QR for one of its counters (to print for patients to scan).
        app.MapPost("/{partner}/facility-qr", async (string partner, CounterAsk ask, CancellationToken ct) =>
        {
            if (set.Hip(partner) is not { } hip) return Results.NotFound();
            var answer = await hip.Partner.PlatformAsync(HttpMethod.Post, "api/v1/facility-qr",
                new { hipId = hip.Partner.FacilityId, counterId = ask.CounterId ?? "OPD-1" }, ct);
            return Results.Content(answer.Body, "application/json", statusCode: (int)answer.Status);
        });

        // The HIP's desk texts a patient that a visit's records are ready (ABDM patients/sms/notify); the platform's status as is.
        app.MapPost("/{partner}/sms-notify", async (string partner, SmsAsk ask, CancellationToken ct) =>
        {
            if (set.Hip(partner) is not { } hip) return Results.NotFound();
            var answer = await hip.Partner.SendAsync("/v0.5/patients/sms/notify", new System.Text.Json.Nodes.JsonObject
            {
                ["notification"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["phoneNo"] = ask.PhoneNo,
                    ["receiverName"] = ask.ReceiverName,
                    ["careContextInfo"] = ask.CareContextInfo,
                    ["deeplinkUrl"] = ask.DeeplinkUrl,
                    ["hip"] = new System.Text.Json.Nodes.JsonObject { ["id"] = hip.Partner.FacilityId, ["name"] = hip.Partner.DisplayName },
                },
            }, ct);
            return answer.Body.Length == 0 ? Results.StatusCode((int)answer.Status) : Results.Content(answer.Body, "application/json", statusCode: (int)answer.Status);
        });

        // The partner's own record of one callback the platform sent it (GET /api/v1/deliveries/{id} with its session).
        app.MapGet("/{partner}/deliveries/{id}", async (string partner, string id, CancellationToken ct) =>
        {
            if (set.All.FirstOrDefault(p => p.Name == partner) is not { } who) return Results.NotFound();
            var answer = await who.PlatformAsync(HttpMethod.Get, $"api/v1/deliveries/{Uri.EscapeDataString(id)}", null, ct);
            return Results.Content(answer.Body, "application/json", statusCode: (int)answer.Status);
        });

        app.MapGet("/{partner}/queue", (string partner) => set.Hip(partner) is { } hip
            ? Results.Ok(new { queue = hip.Queue })
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

        // The HIU's staff subscribe to a patient's new records (hips: sample HIP names or facility ids; none = any HIP).
        app.MapPost("/{partner}/subscription-requests", async (string partner, SubscriptionAsk ask, CancellationToken ct) =>
        {
            if (set.Hiu(partner) is not { } hiu) return Results.NotFound();
            if (string.IsNullOrWhiteSpace(ask.Patient)) return Results.BadRequest(new { error = "patient (ABHA address) is required" });
            var hips = (ask.Hips ?? []).Select(h => set.Hip(h)?.Partner.FacilityId ?? h).ToList();
            var (request, answer) = await hiu.Subscriptions.AskAsync(ask, hips, ct);
            return Results.Json(HiuSubscriptions.Describe(request), statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });

        app.MapGet("/{partner}/subscription-requests", (string partner) => set.Hiu(partner) is { } hiu
            ? Results.Ok(new { subscriptionRequests = hiu.Subscriptions.Requests.Select(HiuSubscriptions.Describe) })
            : Results.NotFound());

        app.MapGet("/{partner}/subscription-requests/{id}", (string partner, string id) => set.Hiu(partner)?.Subscriptions.Find(id) is { } request
            ? Results.Ok(HiuSubscriptions.Describe(request))
            : Results.NotFound());

        app.MapGet("/{partner}/consent-requests/{id}", (string partner, string id) => set.Hiu(partner)?.Find(id) is { } request
            ? Results.Ok(set.Hiu(partner)!.Describe(request))
            : Results.NotFound());

        // The staff refresh how a request stands (consent-requests/status; on-status updates it). id: the desk's or the platform's.
        app.MapPost("/{partner}/consent-requests/{id}/status", async (string partner, string id, CancellationToken ct) =>
        {
            if (set.Hiu(partner) is not { } hiu || hiu.Find(id) is not { } request) return Results.NotFound();
            if (request.ConsentRequestId is null) return Results.Conflict(new { error = $"request {id} has no consent request id yet (no on-init), so there is nothing to ask" });
            var answer = await hiu.CheckStatusAsync(request, ct);
            return Results.Json(hiu.Describe(request), statusCode: answer.Ok ? StatusCodes.Status202Accepted : (int)answer.Status);
        });
    }
}
