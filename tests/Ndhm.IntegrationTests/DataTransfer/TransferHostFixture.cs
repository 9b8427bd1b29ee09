using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fhir.Validation;
using Ndhm.Fidelius;
using Ndhm.IntegrationTests.Consents;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.DataTransfer;

/// <summary>
/// The consent fixture's host with data-transfer windows a test can wait out (HIP push window <see cref="PushWindowSeconds"/>,
/// consent re-checked every second), plus a test HIU's data-push endpoint in the test process (<see cref="TestHiuBridge"/>)
/// built on the HIU-side library. HIPs are played by the test with the HIP-side library over the sandbox's HIP bridge.
/// </summary>
public class TransferHostFixture : ConsentHostFixture
{
    public virtual int PushWindowSeconds => 45;

    public virtual int ConsentCheckSeconds => 1;

    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["DataTransfer__HipPushWindow"] = TimeSpan.FromSeconds(PushWindowSeconds).ToString("c"),
        ["DataTransfer__ConsentCheckInterval"] = TimeSpan.FromSeconds(ConsentCheckSeconds).ToString("c"),
    };

    public TestHiuBridge Hiu { get; private set; } = null!;

    public TestHipEntryHost HipEntries { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Hiu = await TestHiuBridge.StartAsync(Client);
        HipEntries = await TestHipEntryHost.StartAsync();
        // The HIU validates every bundle: pay the validator's cold start here, not inside a push window.
        await AbdmFhirValidator.Shared.WarmUpAsync();
    }

    public override async Task DisposeAsync()
    {
        await Hiu.DisposeAsync();
        await HipEntries.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// A HIU's data-push endpoint (<c>POST /v0.5/health-information/transfer</c>) on a free loopback port: the HIU-side
/// library with the platform's JWKS, the real ABDM validator, an in-memory page log and a recording sink.
/// </summary>
public sealed class TestHiuBridge : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, HiuTransferContext> contexts = new();

    private TestHiuBridge(HttpClient platform)
    {
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl);
        app = builder.Build();
        var receiver = new HiuDataReceiver(new Contexts(contexts),
            new SignedPushTokenAuthenticator(async ct => (await platform.GetFromJsonAsync<JsonElement>("api/.well-known/jwks.json", ct))
                .GetProperty("keys").Deserialize<List<PublicJsonWebKey>>(NdhmJson.Options)!, TimeProvider.System),
            new InMemoryPushPageLog(), AbdmFhirValidator.Shared, new Sink(Records), TimeProvider.System,
            // The test HIP serves its links on http://127.0.0.1: the sandbox allowance, with every other check in place.
            new LinkedEntryFetcher(new LinkedEntryFetcherOptions { AllowLoopbackForSandbox = true }));
        app.MapPost("/v0.5/health-information/transfer", async (HttpContext http) =>
        {
            // As a real HIU should: the body's UTF-8 is read as is, each entry decrypted from its base64 bytes.
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            var page = DataPushBody.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
            try
            {
                var received = await receiver.ReceiveAsync(page, http.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal), http.RequestAborted);
                Pages.Enqueue(received);
                return Results.StatusCode(StatusCodes.Status202Accepted);
            }
            catch (DomainException e)
            {
                return Results.StatusCode(e.Kind switch { ErrorKind.Unauthenticated => 401, ErrorKind.Forbidden => 403, _ => 400 });
            }
        });
    }

    public string BaseUrl { get; }

    public string PushUrl => BaseUrl + "/v0.5/health-information/transfer";

    public ConcurrentQueue<DecryptedHealthRecord> Records { get; } = new();

    public ConcurrentQueue<ReceivedPage> Pages { get; } = new();

    /// <summary>What the HIU keeps when on-request gives it a transaction id: its keys and what it expects.</summary>
    public void Expect(string transactionId, string artefactId, string patientId, string hipId, FideliusKeyMaterial keys) =>
        contexts[transactionId] = new HiuTransferContext(transactionId, artefactId, patientId, new HashSet<string> { hipId },
            DateTimeOffset.UtcNow.AddDays(30), keys);

    public static async Task<TestHiuBridge> StartAsync(HttpClient platform)
    {
        var bridge = new TestHiuBridge(platform);
        await bridge.app.StartAsync();
        return bridge;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class Contexts(ConcurrentDictionary<string, HiuTransferContext> contexts) : IHiuTransferContexts
    {
        public Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct) =>
            Task.FromResult(contexts.TryGetValue(transactionId, out var found) ? found : null);
    }

    private sealed class Sink(ConcurrentQueue<DecryptedHealthRecord> records) : IDecryptedRecordSink
    {
        public Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct)
        {
            records.Enqueue(record);
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// A HIP's link-entry endpoint (<c>GET /entries/{token}</c>) on a free loopback port, serving the entries
/// <see cref="HipDataSender"/> publishes into <see cref="Store"/> (the partner library's in-memory store).
/// </summary>
public sealed class TestHipEntryHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestHipEntryHost()
    {
        var baseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        Store = new InMemoryEncryptedEntryStore(new Uri(baseUrl + "/entries/"), TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUrl);
        app = builder.Build();
        app.MapGet("/entries/{token}", (string token) =>
            Store.TryGet(token, out var content) ? Results.Bytes(content, "text/plain; charset=utf-8") : Results.NotFound());
    }

    public InMemoryEncryptedEntryStore Store { get; }

    public static async Task<TestHipEntryHost> StartAsync()
    {
        var host = new TestHipEntryHost();
        await host.app.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One world's data transfer, step by step as the HIU and the HIP do it over ABDM calls.</summary>
public sealed class TransferFlow(TransferHostFixture fixture, ConsentWorld world)
{
    public FideliusKeyMaterial HiuKeys { get; } = FideliusKeyMaterial.Generate(TimeProvider.System);

    public ConsentWorld World => world;

    /// <summary>Consent requested by the HIU and granted by the patient: the artefact id.</summary>
    public async Task<string> GrantedArtefactAsync()
    {
        var id = await world.RequestConsentAsync();
        return (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant")).GetProperty("artefacts")[0].GetProperty("id").GetString()!;
    }

    /// <summary>health-information/cm/request (202), then the on-request callback answering it.</summary>
    public async Task<JsonElement> RequestAsync(string artefactId, string from = "2021-01-01T00:00:00.000Z", string to = "2025-12-31T00:00:00.000Z")
    {
        var (response, requestId) = await world.AbdmAsync("v0.5/health-information/cm/request", world.HiuToken, new()
        {
            ["hiRequest"] = new
            {
                consent = new { id = artefactId },
                dateRange = new { from, to },
                dataPushUrl = fixture.Hiu.PushUrl,
                keyMaterial = HiuKeys.ToAbdm(),
            },
        });
        using (response) Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await world.CallbackAsync("hiu", "/v0.5/health-information/hiu/on-request", b => ConsentWorld.Resp(b) == requestId, TimeSpan.FromSeconds(60));
    }

    /// <summary>cm/request that must succeed: the transaction id, registered with the test HIU.</summary>
    public async Task<string> TransactionAsync(string artefactId)
    {
        var onRequest = await RequestAsync(artefactId);
        Assert.False(onRequest.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal("REQUESTED", onRequest.GetProperty("hiRequest").GetProperty("sessionStatus").GetString());
        var transactionId = onRequest.GetProperty("hiRequest").GetProperty("transactionId").GetString()!;
        fixture.Hiu.Expect(transactionId, artefactId, world.PatientAddress, world.Hip, HiuKeys);
        return transactionId;
    }

    /// <summary>The hip/request the platform sent the HIP's bridge for this transaction.</summary>
    public Task<IReadOnlyList<JsonElement>> HipRequestsAsync(string transactionId, TimeSpan? within = null) =>
        within is null
            ? world.ReceivedAsync("hip", "/v0.5/health-information/hip/request", b => b.GetProperty("transactionId").GetString() == transactionId)
            : world.CallbacksAsync("hip", "/v0.5/health-information/hip/request", b => b.GetProperty("transactionId").GetString() == transactionId, 1, within);

    /// <summary>The HIP's hip/on-request (ACKNOWLEDGED) answering <paramref name="hipRequest"/>: the platform's HTTP status.</summary>
    public async Task<HttpStatusCode> HipAcknowledgesAsync(JsonElement hipRequest)
    {
        var (ack, _) = await world.AbdmAsync("v0.5/health-information/hip/on-request", world.HipToken, new()
        {
            ["hiRequest"] = new { transactionId = hipRequest.GetProperty("transactionId").GetString(), sessionStatus = "ACKNOWLEDGED" },
            ["resp"] = new { requestId = hipRequest.GetProperty("requestId").GetString() },
        });
        using (ack) return ack.StatusCode;
    }

    /// <summary>The HIP's part: acknowledge, push both care contexts (a prescription each, or <paramref name="records"/>) with the HIP-side library, notify the platform.</summary>
    /// <remarks>With <paramref name="links"/>, entries whose encrypted content is above <paramref name="linkAboveBytes"/> go as links published there.</remarks>
    public async Task<HipSendResult> HipDeliversAsync(JsonElement hipRequest, IReadOnlyList<HipHealthRecord>? records = null,
        IEncryptedEntryPublisher? links = null, long linkAboveBytes = 0)
    {
        var request = HipTransferRequest.Parse(hipRequest);
        Assert.Equal(HttpStatusCode.Accepted, await HipAcknowledgesAsync(hipRequest));
        using var http = new HttpClient();
        var sender = new HipDataSender(http, TimeProvider.System, new HipDataSenderOptions { EntriesPerPage = 1, LinkAboveBytes = linkAboveBytes }, links);
        var now = DateTimeOffset.UtcNow;
        var result = await sender.SendAsync(request, records ??
        [
            new HipHealthRecord("OP-1", SampleRecords.Prescription(world.PatientAddress, world.Hip, now)),
            new HipHealthRecord("LAB-2", SampleRecords.Prescription(world.PatientAddress, world.Hip, now.AddDays(-1))),
        ], CancellationToken.None);
        using var notified = await NotifyAsync(sender.Notification(request, world.Hip, result));
        Assert.True(notified.StatusCode == HttpStatusCode.NoContent, await notified.Content.ReadAsStringAsync());
        return result;
    }

    /// <summary>The HIU's receipt of what it was pushed (notifier HIU, OK / ERRORED per care context), as the sample clinic sends it.</summary>
    public async Task HiuReportsReceiptAsync(string transactionId, string artefactId, IEnumerable<ReceivedEntry> entries)
    {
        var (response, _) = await world.AbdmAsync("v0.5/health-information/notify", world.HiuToken, new()
        {
            ["notification"] = new
            {
                consentId = artefactId,
                transactionId,
                doneAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                notifier = new { type = "HIU", id = world.Hiu },
                statusNotification = new
                {
                    sessionStatus = "TRANSFERRED",
                    hipId = world.Hip,
                    statusResponses = entries.Select(e => new { careContextReference = e.CareContextReference, hiStatus = e.Ok ? "OK" : "ERRORED", description = e.Error ?? "Received" }).ToArray(),
                },
            },
        });
        using (response) Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> NotifyAsync(object notification)
    {
        var body = JsonSerializer.SerializeToElement(notification, NdhmJson.Options);
        var (response, _) = await world.AbdmAsync("v0.5/health-information/notify", world.HipToken, new() { ["notification"] = body.GetProperty("notification") });
        return response;
    }

    public async Task<JsonElement> StatusAsync(string transactionId, string? token = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = Gateway.GatewayHostFixture.Request(HttpMethod.Get, $"api/v1/health-information/transactions/{transactionId}", token ?? world.HiuToken);
        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls the transaction until it is closed (bounded).</summary>
    public async Task<JsonElement> ClosedAsync(string transactionId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(transactionId);
            if (last.GetProperty("status").GetString() != "REQUESTED") return last;
            await Task.Delay(500);
        }

        throw new TimeoutException($"transaction {transactionId} still open: {last}");
    }

    /// <summary>The HIU's health-information/notify for the transaction (waits for the first: closing and telling the HIU are two steps).</summary>
    public Task<IReadOnlyList<JsonElement>> HiuOutcomesAsync(string transactionId) =>
        world.CallbacksAsync("hiu", "/v0.5/health-information/notify", b => b.GetProperty("notification").GetProperty("transactionId").GetString() == transactionId,
            1, TimeSpan.FromSeconds(30));
}
