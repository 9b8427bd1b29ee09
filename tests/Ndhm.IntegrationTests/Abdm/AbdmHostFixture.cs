using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;

namespace Ndhm.IntegrationTests.Abdm;

/// <summary>
/// The real local host with Health ID's test identities (patients to enrol) and the gateway's short callback
/// backoff, for ABDM v0.5 exchanges: partners registered with the sandbox's sample bridges, so callbacks can be read
/// back from <c>/api/sandbox/bridges/{hip|hiu}/received</c>.
/// </summary>
public sealed class AbdmHostFixture : HealthIdHostFixture
{
    public const string CmId = "sbx";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Gateway__CallbackMaxAttempts"] = "4",
        ["Gateway__CallbackInitialDelayMs"] = "200",
        ["Gateway__CallbackMaxDelayMs"] = "1000",
        ["Gateway__CallbackTimeoutSeconds"] = "3",
        ["Gateway__SecretHashIterations"] = "1000",
    };

    public GatewayHostFixture Gateway => GatewayHostFixture.Over(Host);

    public string BridgeUrl(string bridge) => $"http://localhost:{Host.Port}/api/sandbox/bridges/{bridge}";

    /// <summary>A HIP partner serving one verified facility, its bridge the sample HIP; with a session token.</summary>
    public async Task<AbdmPartner> HipAsync()
    {
        var (facility, _) = await Gateway.RegisterFacilityAsync();
        var (clientId, secret) = await Gateway.RegisterPartnerAsync(BridgeUrl("hip"), [Roles.Hip], [facility]);
        return new AbdmPartner(this, clientId, await Gateway.SessionTokenAsync(clientId, secret), "hip", HipId: facility);
    }

    /// <summary>An HIU partner, its bridge the sample HIU; with a session token.</summary>
    public async Task<AbdmPartner> HiuAsync()
    {
        var (clientId, secret) = await Gateway.RegisterPartnerAsync(BridgeUrl("hiu"), Roles.Hiu);
        return new AbdmPartner(this, clientId, await Gateway.SessionTokenAsync(clientId, secret), "hiu", HiuId: clientId);
    }
}

/// <summary>A partner as an ABDM sandbox client would call the platform: v0.5 bodies, X-CM-ID, X-HIP-ID / X-HIU-ID.</summary>
public sealed record AbdmPartner(AbdmHostFixture Host, string ClientId, string Token, string Bridge, string? HipId = null, string? HiuId = null)
{
    public static string Now() => DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// POSTs <paramref name="payload"/>'s fields with a fresh <c>requestId</c> and <c>timestamp</c> in the body (as v0.5
    /// clients send them) to <c>/api{path}</c>. <paramref name="headers"/> replace the defaults (X-CM-ID, X-HIP-ID or
    /// X-HIU-ID); a null value leaves that header out.
    /// </summary>
    public async Task<(HttpResponseMessage Response, string RequestId)> PostAsync(string path, object payload, string? requestId = null,
        IReadOnlyDictionary<string, string?>? headers = null)
    {
        requestId ??= Guid.NewGuid().ToString();
        var body = JsonSerializer.SerializeToNode(payload)!.AsObject();
        body["requestId"] ??= requestId;
        body["timestamp"] ??= Now();
        var request = new HttpRequestMessage(HttpMethod.Post, "api" + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", Token);
        var all = new Dictionary<string, string?> { ["X-CM-ID"] = AbdmHostFixture.CmId };
        if (HipId is not null) all["X-HIP-ID"] = HipId;
        if (HiuId is not null) all["X-HIU-ID"] = HiuId;
        foreach (var (name, value) in headers ?? new Dictionary<string, string?>()) all[name] = value;
        foreach (var (name, value) in all)
        {
            if (value is not null) request.Headers.TryAddWithoutValidation(name, value);
        }

        return (await Host.Client.SendAsync(request), requestId);
    }

    /// <summary>Posts and asserts ABDM's 202 Accepted with an empty body; returns the requestId.</summary>
    public async Task<string> AcceptedAsync(string path, object payload, string? requestId = null)
    {
        var (response, id) = await PostAsync(path, payload, requestId);
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("", text);
        }

        return id;
    }

    /// <summary>The callback the partner's bridge received at <paramref name="path"/> answering <paramref name="requestId"/> (bounded wait).</summary>
    public Task<AbdmCallback> CallbackAsync(string path, string requestId, TimeSpan? within = null) =>
        ReceivedAsync(path, body => body.TryGetProperty("resp", out var resp) && resp.GetProperty("requestId").GetString() == requestId, within);

    /// <summary>The first message the partner's bridge received at <paramref name="path"/> that <paramref name="match"/> accepts.</summary>
    public async Task<AbdmCallback> ReceivedAsync(string path, Func<JsonElement, bool> match, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Host.Client.GetAsync($"api/sandbox/bridges/{Bridge}/received");
            var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("received");
            foreach (var item in list.EnumerateArray())
            {
                if (item.GetProperty("path").GetString() != path) continue;
                var body = JsonDocument.Parse(item.GetProperty("body").GetString()!).RootElement;
                if (match(body))
                {
                    var headers = item.GetProperty("headers").EnumerateObject()
                        .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
                    return new AbdmCallback(headers, body.Clone());
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no callback at {path} on the {Bridge} bridge within the wait");
    }

    /// <summary>Asserts ABDM's error shape (<c>{"error":{"code","message","ndhmCode"}}</c>) with this status and codes.</summary>
    public static async Task<JsonElement> AssertAbdmErrorAsync(HttpResponseMessage response, HttpStatusCode status, string abdmCode, string? ndhmCode = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal(abdmCode, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (ndhmCode is not null) Assert.Equal(ndhmCode, error.GetProperty("ndhmCode").GetString());
        return error;
    }
}

/// <summary>A message a sample bridge received: its headers and JSON body.</summary>
public sealed record AbdmCallback(IReadOnlyDictionary<string, string> Headers, JsonElement Body);
