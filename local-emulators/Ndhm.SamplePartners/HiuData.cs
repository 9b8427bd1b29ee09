using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fhir.Validation;
using Ndhm.Fidelius;

namespace Ndhm.SamplePartners;

/// <summary>What a HIU's staff asks for under a granted artefact (<c>POST /{hiu}/health-information-requests</c>).</summary>
public sealed record HiDataAsk(string? ConsentId, string? From, string? To);

/// <summary>What the platform answered (on-request) to one of the HIU's data requests.</summary>
public sealed record HiRequestOutcome(string RequestId, string ConsentId, string Status, string? TransactionId, JsonNode? Error);

/// <summary>
/// A sample HIU's side of the data transfer (issue #13), on the platform's HIU-side library: it asks for data with fresh
/// key material per request (health-information/cm/request, dataPushUrl = its bridge's
/// <c>/v0.5/health-information/transfer</c>), keeps the transaction on on-request, and receives the HIPs' pushes:
/// push token checked against the platform JWKS, pages once each, decrypted, checksummed, validated, kept in memory.
/// </summary>
public sealed class HiuData
{
    private readonly SamplePartner partner;
    private readonly Func<string, JsonNode?> artefact;
    private readonly ConcurrentDictionary<string, (string ArtefactId, FideliusKeyMaterial Keys)> pending = new();   // our requestId ->
    private readonly ConcurrentDictionary<string, HiuTransferContext> transactions = new();
    private readonly ConcurrentDictionary<string, HiRequestOutcome> outcomes = new();   // our requestId -> what on-request said
    private readonly HiuDataReceiver receiver;
    private readonly Lock recordsLock = new();

    public HiuData(SamplePartner partner, PlatformClient platform, Func<string, JsonNode?> artefact)
    {
        this.partner = partner;
        this.artefact = artefact;
        receiver = new HiuDataReceiver(new Contexts(transactions), new SignedPushTokenAuthenticator(async ct =>
                (await platform.SendAsync(HttpMethod.Get, "api/.well-known/jwks.json", null, null, ct: ct)).EnsureOk("platform JWKS").Json
                .GetProperty("keys").Deserialize<List<PublicJsonWebKey>>(SampleJson.Options)!, TimeProvider.System),
            new InMemoryPushPageLog(), AbdmFhirValidator.Shared, new Sink(Records, ReceivedAt, transactions), TimeProvider.System,
            new LinkedEntryFetcher(new LinkedEntryFetcherOptions { AllowLoopbackForSandbox = partner.OnLoopback }));
    }

    public ConcurrentQueue<DecryptedHealthRecord> Records { get; } = new();

    /// <summary>When each record was handed over decrypted and validated, by transaction and care context (what benchmarks time).</summary>
    public ConcurrentDictionary<(string TransactionId, string CareContextReference), DateTimeOffset> ReceivedAt { get; } = new();

    public IReadOnlyDictionary<string, HiuTransferContext> Transactions => transactions;

    /// <summary>Each data request by its requestId: PENDING until on-request, then ACKNOWLEDGED (with the transaction) or REFUSED (with the error).</summary>
    public IReadOnlyDictionary<string, HiRequestOutcome> Outcomes => outcomes;

    /// <summary>
    /// The artefacts were revoked or expired: the records received under them are deleted and their transactions closed
    /// (ABDM HIU_FLOW_202, HIU_FLOW_301: the HIU no longer shows them). The number of records deleted.
    /// </summary>
    public int Forget(IReadOnlyCollection<string> artefactIds)
    {
        foreach (var (id, context) in transactions)
        {
            if (artefactIds.Contains(context.ConsentArtefactId)) transactions.TryRemove(id, out _);
        }

        lock (recordsLock)
        {
            var kept = Records.Where(r => !artefactIds.Contains(r.ConsentArtefactId)).ToList();
            var removed = Records.Count - kept.Count;
            Records.Clear();
            foreach (var r in kept) Records.Enqueue(r);
            return removed;
        }
    }

    /// <summary>health-information/cm/request for a fetched, granted artefact; the transaction id arrives in on-request.</summary>
    public async Task<(string RequestId, PlatformAnswer Answer)> RequestAsync(HiDataAsk ask, CancellationToken ct)
    {
        var requestId = Guid.NewGuid().ToString();
        var keys = FideliusKeyMaterial.Generate(TimeProvider.System, TimeSpan.FromHours(2));
        pending[requestId] = (ask.ConsentId!, keys);
        outcomes[requestId] = new HiRequestOutcome(requestId, ask.ConsentId!, "PENDING", null, null);
        return (requestId, await partner.SendAsync("/v0.5/health-information/cm/request", new JsonObject
        {
            ["hiRequest"] = new JsonObject
            {
                ["consent"] = new JsonObject { ["id"] = ask.ConsentId },
                ["dateRange"] = new JsonObject { ["from"] = ask.From ?? "2015-01-01T00:00:00.000Z", ["to"] = ask.To ?? DateTime.UtcNow.ToString(PlatformClient.TimestampFormat, CultureInfo.InvariantCulture) },
                ["dataPushUrl"] = partner.BridgeUrl.TrimEnd('/') + "/v0.5/health-information/transfer",
                ["keyMaterial"] = JsonSerializer.SerializeToNode(keys.ToAbdm(), SampleJson.Options),
            },
        }, ct, requestId));
    }

    /// <summary>on-request: the transaction id (kept with the keys and what the artefact says) or an error (dropped).</summary>
    public Task OnRequestAsync(JsonElement body, CancellationToken ct)
    {
        var answered = body.GetProperty("resp").GetProperty("requestId").GetString()!;
        if (!pending.TryRemove(answered, out var asked)) return Task.CompletedTask;
        if (!body.TryGetProperty("hiRequest", out var hi) || hi.ValueKind != JsonValueKind.Object)
        {
            outcomes[answered] = new HiRequestOutcome(answered, asked.ArtefactId, "REFUSED", null,
                body.TryGetProperty("error", out var error) ? JsonNode.Parse(error.GetRawText()) : null);
            return Task.CompletedTask;
        }
        var detail = artefact(asked.ArtefactId)?["consentDetail"];
        var transactionId = hi.GetProperty("transactionId").GetString()!;
        transactions[transactionId] = new HiuTransferContext(transactionId, asked.ArtefactId, detail?["patient"]?["id"]?.GetValue<string>() ?? "",
            new HashSet<string> { detail?["hip"]?["id"]?.GetValue<string>() ?? "" },
            DateTimeOffset.Parse(detail?["permission"]?["dataEraseAt"]?.GetValue<string>() ?? DateTimeOffset.UtcNow.AddDays(30).ToString("O"), CultureInfo.InvariantCulture),
            asked.Keys);
        outcomes[answered] = new HiRequestOutcome(answered, asked.ArtefactId, "ACKNOWLEDGED", transactionId, null);
        return Task.CompletedTask;
    }

    public Task<ReceivedPage> ReceiveAsync(DataPushPage? page, string? bearer, CancellationToken ct) => receiver.ReceiveAsync(page, bearer, ct);

    /// <summary>
    /// The HIU's receipt of a page (ABDM <c>health-information/notify</c>, notifier HIU): each care context OK or
    /// ERRORED with why, which the platform keeps beside the HIP's report. A repeated page was reported the first time.
    /// </summary>
    public async Task ReportReceiptAsync(ReceivedPage page, CancellationToken ct)
    {
        if (page.Repeat || page.Entries.Count == 0 || !transactions.TryGetValue(page.TransactionId, out var context)) return;
        await partner.SendAsync("/v0.5/health-information/notify", new JsonObject
        {
            ["notification"] = new JsonObject
            {
                ["consentId"] = context.ConsentArtefactId,
                ["transactionId"] = page.TransactionId,
                ["doneAt"] = PlatformClient.Now(),
                ["notifier"] = new JsonObject { ["type"] = "HIU", ["id"] = partner.FacilityId },
                ["statusNotification"] = new JsonObject
                {
                    ["sessionStatus"] = page.Entries.All(e => e.Ok) ? "TRANSFERRED" : "FAILED",
                    ["hipId"] = context.HipIds.FirstOrDefault(),
                    ["statusResponses"] = new JsonArray(page.Entries.Select(e => (JsonNode)new JsonObject
                    {
                        ["careContextReference"] = e.CareContextReference,
                        ["hiStatus"] = e.Ok ? "OK" : "ERRORED",
                        ["description"] = e.Error ?? "Received",
                    }).ToArray()),
                },
            },
        }, ct);
    }

    private sealed class Contexts(ConcurrentDictionary<string, HiuTransferContext> transactions) : IHiuTransferContexts
    {
        public Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct) =>
            Task.FromResult(transactions.TryGetValue(transactionId, out var found) ? found : null);
    }

    private sealed class Sink(ConcurrentQueue<DecryptedHealthRecord> records,
        ConcurrentDictionary<(string, string), DateTimeOffset> receivedAt, ConcurrentDictionary<string, HiuTransferContext> transactions) : IDecryptedRecordSink
    {
        public Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct)
        {
            if (!transactions.ContainsKey(record.TransactionId)) return Task.CompletedTask;   // revoked meanwhile: not kept
            receivedAt.TryAdd((record.TransactionId, record.CareContextReference), DateTimeOffset.UtcNow);
            records.Enqueue(record);
            return Task.CompletedTask;
        }
    }

    /// <summary>Maps the receiver's refusals to HTTP statuses.</summary>
    public static int StatusFor(DomainException e) => e.Kind switch
    {
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };
}
