using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Ndhm.Core.Security;

namespace Ndhm.IntegrationTests.Consents;

/// <summary>
/// Subscriptions over HTTP, the ABDM way: a HIU holding a STREAM consent subscribes
/// (<c>subscription-requests/cm/init</c> -> <c>cm/on-init</c>), the patient approves through their own API
/// (<c>subscription-requests/hiu/notify</c>), and each care context linked afterwards at a HIP in scope reaches the
/// HIU's sample bridge as <c>subscriptions/hiu/notify</c>. Every message the HIU receives is checked against ABDM's
/// schema (copied into <c>abdm-subscriptions.schema.json</c>).
/// </summary>
public sealed class SubscriptionFlowTests(ConsentHostFixture sandbox) : IClassFixture<ConsentHostFixture>
{
    private const string OnInitPath = "/v0.5/subscription-requests/cm/on-init";
    private const string DecisionPath = "/v0.5/subscription-requests/hiu/notify";
    private const string EventPath = "/v0.5/subscriptions/hiu/notify";

    [Fact]
    public async Task GivenAStreamConsent_WhenTheHiuSubscribesThePatientApprovesAndTheHipLinksAVisit_ThenTheHiuGetsOnInitTheGrantAndTheLinkEvent()
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "STREAM");

        var (onInit, _) = await SubscribeAsync(world, Subscription(world, hips: [world.Hip], categories: ["LINK"]));
        var id = onInit.GetProperty("subscriptionRequest").GetProperty("id").GetString()!;
        var pending = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/subscription-requests?status=REQUESTED");
        var granted = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/subscription-requests/{id}/grant");
        var subscriptionId = granted.GetProperty("subscriptionId").GetString()!;
        var decision = await world.CallbackAsync("hiu", DecisionPath, b => b.GetProperty("notification").GetProperty("subscriptionRequestId").GetString() == id);
        await world.HipLinksAsync(await PatientNameAsync(world), "OP-7");
        var linked = await world.CallbackAsync("hiu", EventPath, b => b.GetProperty("event").GetProperty("subscriptionId").GetString() == subscriptionId);

        Conforms("HIUSubscriptionRequestReceipt", onInit);
        Assert.Contains(pending.GetProperty("subscriptionRequests").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("GRANTED", granted.GetProperty("status").GetString());
        Conforms("SubscriptionApprovalNotification", decision);
        var subscription = decision.GetProperty("notification").GetProperty("subscription");
        Assert.Equal(("GRANTED", subscriptionId, world.PatientAddress, world.Hiu), (decision.GetProperty("notification").GetProperty("status").GetString(),
            subscription.GetProperty("id").GetString(), subscription.GetProperty("patient").GetProperty("id").GetString(),
            subscription.GetProperty("hiu").GetProperty("id").GetString()));
        Assert.Equal(world.Hip, subscription.GetProperty("sources")[0].GetProperty("hip").GetProperty("id").GetString());
        Conforms("HIUSubscriptionNotification", linked);
        var @event = linked.GetProperty("event");
        var context = Assert.Single(@event.GetProperty("content").GetProperty("context").EnumerateArray());
        Assert.Equal(("LINK", world.Hip, world.PatientAddress, "OP-7", "PUID-1"), (@event.GetProperty("category").GetString(),
            @event.GetProperty("content").GetProperty("hip").GetProperty("id").GetString(), @event.GetProperty("content").GetProperty("patient").GetProperty("id").GetString(),
            context.GetProperty("careContext").GetProperty("careContextReference").GetString(), context.GetProperty("careContext").GetProperty("patientReference").GetString()));
        Assert.Equal(["OPConsultation"], context.GetProperty("hiTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(world.Hiu, await HiuHeaderAsync(EventPath, @event.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task GivenTheHiusNotifications_WhenItAcknowledgesThem_Then202_AndAnOnNotifyNamingNothingSentToItIs404InAbdmShape()
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "QUERY");
        var (onInit, _) = await SubscribeAsync(world, Subscription(world));
        var id = onInit.GetProperty("subscriptionRequest").GetProperty("id").GetString()!;
        var subscriptionId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/subscription-requests/{id}/grant")).GetProperty("subscriptionId").GetString()!;
        var decision = await world.CallbackAsync("hiu", DecisionPath, b => b.GetProperty("notification").GetProperty("subscriptionRequestId").GetString() == id);
        await world.HipLinksAsync(await PatientNameAsync(world), "OP-8");
        var linked = await world.CallbackAsync("hiu", EventPath, b => b.GetProperty("event").GetProperty("subscriptionId").GetString() == subscriptionId);
        var (_, otherHiuToken, _) = await sandbox.OtherPartnerAsync(Roles.Hiu);

        var (decisionAck, _) = await world.AbdmAsync("v0.5/subscription-requests/hiu/on-notify", world.HiuToken, new()
        {
            ["acknowledgement"] = new { status = "OK", subscriptionRequestId = id },
            ["resp"] = new { requestId = decision.GetProperty("requestId").GetString() },
        });
        var (eventAck, _) = await world.AbdmAsync("v0.5/subscriptions/hiu/on-notify", world.HiuToken, new()
        {
            ["acknowledgement"] = new { status = "OK", eventId = linked.GetProperty("event").GetProperty("id").GetString() },
            ["resp"] = new { requestId = linked.GetProperty("requestId").GetString() },
        });
        var (strangerAck, _) = await world.AbdmAsync("v0.5/subscriptions/hiu/on-notify", otherHiuToken, new()
        {
            ["acknowledgement"] = new { status = "OK", eventId = linked.GetProperty("event").GetProperty("id").GetString() },
            ["resp"] = new { requestId = linked.GetProperty("requestId").GetString() },
        });
        var (wrongKindAck, _) = await world.AbdmAsync("v0.5/subscriptions/hiu/on-notify", world.HiuToken, new()
        {
            ["resp"] = new { requestId = decision.GetProperty("requestId").GetString() },
        });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (decisionAck.StatusCode, eventAck.StatusCode));
        foreach (var refused in new[] { strangerAck, wrongKindAck })
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal(("ABDM-1068", "SUBSCRIPTION_NOTIFICATION_NOT_FOUND"), (error.GetProperty("code").GetString(), error.GetProperty("ndhmCode").GetString()));
        }
    }

    [Fact]
    public async Task GivenOneSubscriptionForTheHipAndOneForAnyHip_WhenAnotherHipLinksThenThePatientRevokesTheFirstAndTheHipLinks_ThenTheFirstIsNeverNotified()
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "STREAM");
        var name = await PatientNameAsync(world);
        var oneHip = await GrantedSubscriptionAsync(world, Subscription(world, hips: [world.Hip]));
        var anyHip = await GrantedSubscriptionAsync(world, Subscription(world));
        var (_, otherHipToken, otherHip) = await sandbox.OtherPartnerAsync(Roles.Hip);

        await (world with { HipToken = otherHipToken }).HipLinksAsync(name, "LAB-9");
        var elsewhere = await world.CallbackAsync("hiu", EventPath, b => Event(b, anyHip, "LAB-9"));
        var revoked = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/subscriptions/{oneHip}/revoke");
        await world.HipLinksAsync(name, "OP-9");
        await world.CallbackAsync("hiu", EventPath, b => Event(b, anyHip, "OP-9"));
        var listed = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/subscription-requests?status=REVOKED");

        Assert.Equal(otherHip, elsewhere.GetProperty("event").GetProperty("content").GetProperty("hip").GetProperty("id").GetString());
        Assert.Equal("REVOKED", revoked.GetProperty("status").GetString());
        Assert.Contains(listed.GetProperty("subscriptionRequests").EnumerateArray(), r => r.GetProperty("subscriptionId").GetString() == oneHip);
        Assert.Empty(await world.ReceivedAsync("hiu", EventPath, b => b.GetProperty("event").GetProperty("subscriptionId").GetString() == oneHip));
    }

    [Fact]
    public async Task GivenARequest_WhenThePatientDenies_ThenTheHiuIsToldDenied_AndTheDeniedRequestCannotBeGranted()
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "STREAM");
        var (onInit, _) = await SubscribeAsync(world, Subscription(world));
        var id = onInit.GetProperty("subscriptionRequest").GetProperty("id").GetString()!;

        var denied = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/subscription-requests/{id}/deny", new { reason = "not this clinic" });
        var notified = await world.CallbackAsync("hiu", DecisionPath, b => b.GetProperty("notification").GetProperty("subscriptionRequestId").GetString() == id);
        var again = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/subscription-requests/{id}/grant", expected: HttpStatusCode.Conflict);

        Assert.Equal("DENIED", denied.GetProperty("status").GetString());
        Conforms("SubscriptionApprovalNotification", notified);
        Assert.Equal("DENIED", notified.GetProperty("notification").GetProperty("status").GetString());
        Assert.False(notified.GetProperty("notification").TryGetProperty("subscription", out _));
        Assert.Equal("SUBSCRIPTION_NOT_PENDING", again.GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenSubscriptionsUnderTwoConsents_WhenThePatientRevokesTheFirstConsent_ThenItsSubscriptionIsRevokedAndHearsNothing_AndTheOtherStillHears()
    {
        var world = await sandbox.WorldAsync();
        var name = await PatientNameAsync(world);
        var firstConsent = await GrantConsentAsync(world, "STREAM");
        var first = await GrantedSubscriptionAsync(world, Subscription(world, hips: [world.Hip]));
        await GrantConsentAsync(world, "QUERY", days: 60);
        var second = await GrantedSubscriptionAsync(world, Subscription(world, hips: [world.Hip]));

        var revokedConsent = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consents/{firstConsent}/revoke");
        var revoked = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/subscription-requests?status=REVOKED");
        await world.HipLinksAsync(name, "OP-12");
        await world.CallbackAsync("hiu", EventPath, b => Event(b, second, "OP-12"));

        Assert.Equal("REVOKED", revokedConsent.GetProperty("status").GetString());
        var ended = Assert.Single(revoked.GetProperty("subscriptionRequests").EnumerateArray());
        Assert.Equal(first, ended.GetProperty("subscriptionId").GetString());
        Assert.Equal("system", ended.GetProperty("events").EnumerateArray().Last().GetProperty("actorKind").GetString());
        Assert.Empty(await world.ReceivedAsync("hiu", EventPath, b => b.GetProperty("event").GetProperty("subscriptionId").GetString() == first));
    }

    [Fact]
    public async Task GivenADataSubscription_WhenTheHipTellsOfNewDataTwice_ThenTheHiuGetsOneDataEventInAbdmShape_SentAgainUntilAcknowledged_AndALinkOnlyOneNone()
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "STREAM");
        var data = await GrantedSubscriptionAsync(world, Subscription(world, hips: [world.Hip], categories: ["DATA"]));
        var linkOnly = await GrantedSubscriptionAsync(world, Subscription(world, hips: [world.Hip], categories: ["LINK"]));

        await HipTellsOfNewDataAsync(world, "OP-1", "2026-12-01T10:00:00.000Z");
        await HipTellsOfNewDataAsync(world, "OP-1", "2026-12-01T10:00:00.000Z");
        await HipTellsOfNewDataAsync(world, "LAB-2", "2026-12-01T11:00:00.000Z");
        var told = await world.CallbackAsync("hiu", EventPath, b => Event(b, data, "OP-1"));
        var lab = await world.CallbackAsync("hiu", EventPath, b => Event(b, data, "LAB-2"));
        var (labAck, _) = await world.AbdmAsync("v0.5/subscriptions/hiu/on-notify", world.HiuToken, new()
        {
            ["acknowledgement"] = new { status = "OK", eventId = lab.GetProperty("event").GetProperty("id").GetString() },
            ["resp"] = new { requestId = lab.GetProperty("requestId").GetString() },
        });
        await Task.Delay(TimeSpan.FromSeconds(ConsentHostFixture.AckTimeoutSeconds + 1));
        await world.AdminSweepAsync();
        var copies = await world.CallbacksAsync("hiu", EventPath, b => Event(b, data, "OP-1"), atLeast: 2);

        Conforms("HIUSubscriptionNotification", told);
        var @event = told.GetProperty("event");
        var context = Assert.Single(@event.GetProperty("content").GetProperty("context").EnumerateArray());
        Assert.Equal(("DATA", world.Hip, world.PatientAddress, "OP-1", "PUID-1"), (@event.GetProperty("category").GetString(),
            @event.GetProperty("content").GetProperty("hip").GetProperty("id").GetString(), @event.GetProperty("content").GetProperty("patient").GetProperty("id").GetString(),
            context.GetProperty("careContext").GetProperty("careContextReference").GetString(), context.GetProperty("careContext").GetProperty("patientReference").GetString()));
        Assert.Equal(["Prescription"], context.GetProperty("hiTypes").EnumerateArray().Select(t => t.GetString()));
        // The notice told twice is one event; the unacknowledged one is sent again (same requestId and event), the acknowledged one is not.
        Assert.Single(copies.Select(c => (c.GetProperty("requestId").GetString(), c.GetProperty("event").GetProperty("id").GetString())).Distinct());
        foreach (var copy in copies) Conforms("HIUSubscriptionNotification", copy);
        using (labAck) Assert.Equal(HttpStatusCode.Accepted, labAck.StatusCode);
        Assert.Single(await world.ReceivedAsync("hiu", EventPath, b => Event(b, data, "LAB-2")));
        Assert.Empty(await world.ReceivedAsync("hiu", EventPath, b => b.GetProperty("event").GetProperty("subscriptionId").GetString() == linkOnly));
    }

    /// <summary>links/context/notify from the world's HIP (a new requestId each time), then its on-notify acknowledging it.</summary>
    private static async Task HipTellsOfNewDataAsync(ConsentWorld world, string reference, string date)
    {
        var (response, requestId) = await world.AbdmAsync("v0.5/links/context/notify", world.HipToken, new()
        {
            ["notification"] = new
            {
                patient = new { id = world.PatientAddress },
                careContext = new { patientReference = "PUID-1", careContextReference = reference },
                hiTypes = new[] { "Prescription" },
                date,
                hip = new { id = world.Hip },
            },
        });
        using (response) Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var answer = await world.CallbackAsync("hip", "/v0.5/links/context/on-notify", b => ConsentWorld.Resp(b) == requestId);
        Assert.False(answer.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object, answer.ToString());
    }

    public static TheoryData<string, string, string, string> BadInput() => new()
    {
        { "categories", "[\"EVERYTHING\"]", "ABDM-1017", "INVALID_CATEGORY" },
        { "purpose", "{\"text\":\"Emergency\",\"code\":\"BTG\"}", "ABDM-1017", "INVALID_PURPOSE" },
        { "period", "{\"from\":\"2030-01-01T00:00:00.000Z\",\"to\":\"2029-01-01T00:00:00.000Z\"}", "ABDM-1063", "INVALID_PERIOD" },
        { "patient", "{\"id\":\"not-an-address\"}", "ABDM-1017", "INVALID_PATIENT" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task GivenABadSubscriptionRequest_WhenTheHiuSendsIt_Then400InAbdmShapeAndNothingIsStored(string field, string value, string abdmCode, string ndhmCode)
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "STREAM");
        var subscription = Subscription(world);
        subscription[field] = JsonNode.Parse(value);

        var (response, _) = await world.AbdmAsync("v0.5/subscription-requests/cm/init", world.HiuToken, new() { ["subscription"] = subscription });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal((abdmCode, ndhmCode), (error.GetProperty("code").GetString(), error.GetProperty("ndhmCode").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        await NothingStoredAsync(world);
    }

    [Fact]
    public async Task GivenOnlyAViewConsent_OrAHiuThatIsNotTheCallers_WhenItSubscribes_ThenOnInitCarriesTheErrorAndNothingIsStored()
    {
        var world = await sandbox.WorldAsync();
        await GrantConsentAsync(world, "VIEW");
        var (_, otherHiuToken, _) = await sandbox.OtherPartnerAsync(Roles.Hiu);

        var (noConsent, _) = await SubscribeAsync(world, Subscription(world));
        var (notServed, _) = await SubscribeAsync(world, Subscription(world), otherHiuToken);

        Assert.Equal(("ABDM-1062", "NO_SUBSCRIBABLE_CONSENT"), (noConsent.GetProperty("error").GetProperty("code").GetString(),
            noConsent.GetProperty("error").GetProperty("ndhmCode").GetString()));
        Assert.Equal("HIU_NOT_SERVED", notServed.GetProperty("error").GetProperty("ndhmCode").GetString());
        Assert.False(noConsent.TryGetProperty("subscriptionRequest", out _));
        await NothingStoredAsync(world);
    }

    private static bool Event(JsonElement body, string subscriptionId, string reference) =>
        body.GetProperty("event").GetProperty("subscriptionId").GetString() == subscriptionId
        && body.GetProperty("event").GetProperty("content").GetProperty("context").EnumerateArray()
            .Any(c => c.GetProperty("careContext").GetProperty("careContextReference").GetString() == reference);

    private static async Task NothingStoredAsync(ConsentWorld world)
    {
        var listed = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/subscription-requests");
        Assert.Equal(0, listed.GetProperty("subscriptionRequests").GetArrayLength());
    }

    /// <summary>A consent with <paramref name="accessMode"/> requested by the world's HIU and granted by its patient; its first artefact's id.</summary>
    private static async Task<string> GrantConsentAsync(ConsentWorld world, string accessMode, int days = 30)
    {
        var consent = JsonSerializer.SerializeToNode(world.Consent(eraseAt: DateTimeOffset.UtcNow.AddDays(days)))!;
        consent["permission"]!["accessMode"] = accessMode;
        var id = await world.RequestConsentAsync(consent);
        var granted = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant");
        return granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
    }

    private static JsonObject Subscription(ConsentWorld world, string[]? hips = null, string[]? categories = null)
    {
        var subscription = new JsonObject
        {
            ["purpose"] = new JsonObject { ["text"] = "Follow-up care", ["code"] = "CAREMGT", ["refUri"] = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse" },
            ["patient"] = new JsonObject { ["id"] = world.PatientAddress },
            ["hiu"] = new JsonObject { ["id"] = world.Hiu },
            ["categories"] = new JsonArray((categories ?? ["LINK"]).Select(c => (JsonNode?)c).ToArray()),
            ["period"] = new JsonObject
            {
                ["from"] = DateTimeOffset.UtcNow.AddDays(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["to"] = DateTimeOffset.UtcNow.AddDays(180).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        if (hips is not null) subscription["hips"] = new JsonArray(hips.Select(h => (JsonNode?)new JsonObject { ["id"] = h }).ToArray());
        return subscription;
    }

    /// <summary>subscription-requests/cm/init (202), then the on-init answering it.</summary>
    private static async Task<(JsonElement OnInit, string RequestId)> SubscribeAsync(ConsentWorld world, JsonObject subscription, string? token = null)
    {
        var (response, requestId) = await world.AbdmAsync("v0.5/subscription-requests/cm/init", token ?? world.HiuToken, new() { ["subscription"] = subscription });
        using (response) Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await world.CallbackAsync("hiu", OnInitPath, b => ConsentWorld.Resp(b) == requestId), requestId);
    }

    /// <summary>Subscribes, the patient approves as asked; the subscription id.</summary>
    private static async Task<string> GrantedSubscriptionAsync(ConsentWorld world, JsonObject subscription)
    {
        var (onInit, _) = await SubscribeAsync(world, subscription);
        var id = onInit.GetProperty("subscriptionRequest").GetProperty("id").GetString()!;
        return (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/subscription-requests/{id}/grant")).GetProperty("subscriptionId").GetString()!;
    }

    /// <summary>The patient's name as Health ID holds it (what a HIP's link token request must match).</summary>
    private static async Task<string> PatientNameAsync(ConsentWorld world)
    {
        var profile = await world.PatientAsync(HttpMethod.Get, "v3/profile/account");
        return profile.GetProperty("firstName").GetString() + " " + profile.GetProperty("lastName").GetString();
    }

    private async Task<string?> HiuHeaderAsync(string path, string contains)
    {
        var inbox = await sandbox.Client.GetFromJsonAsync<JsonElement>("api/sandbox/bridges/hiu/received");
        return inbox.GetProperty("received").EnumerateArray()
            .First(m => m.GetProperty("path").GetString() == path && m.GetProperty("body").GetString()!.Contains(contains, StringComparison.Ordinal))
            .GetProperty("headers").GetProperty("X-HIU-ID").GetString();
    }

    private static readonly Lazy<JsonObject> Schemas = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ndhm.IntegrationTests.Consent.abdm-subscriptions.schema.json")
                           ?? throw new InvalidOperationException("the ABDM subscription schemas are not embedded");
        return JsonNode.Parse(stream)!.AsObject();
    });

    /// <summary>The message conforms to ABDM's schema <paramref name="definition"/>.</summary>
    private static void Conforms(string definition, JsonElement message)
    {
        var schema = Schemas.Value.DeepClone().AsObject();
        schema["$ref"] = "#/$defs/" + definition;
        var results = JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() })
            .Evaluate(message, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(results.IsValid, $"{definition}: {string.Join("; ", errors)} in {message}");
    }
}
