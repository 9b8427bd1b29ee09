using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Linking;

/// <summary>
/// The real local host with Health ID's test identities and fast callbacks. Tests play the HIP: a partner whose
/// bridge is the sandbox's sample HIP, so what the platform sent it shows in <c>/api/sandbox/bridges/hip/received</c>,
/// and the test posts the HIP's on-* answers over HTTP with the partner's session token.
/// </summary>
public sealed class LinkingHostFixture : HealthIdHostFixture
{
    /// <summary>Long enough for a callback to reach the sample bridge on a loaded machine, short enough to wait out once.</summary>
    public const int DiscoveryTimeoutSeconds = 20;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Gateway__CallbackInitialDelayMs"] = "200",
        ["Gateway__CallbackMaxDelayMs"] = "1000",
        ["Gateway__SecretHashIterations"] = "1000",
        ["Abdm__DiscoveryTimeout"] = TimeSpan.FromSeconds(DiscoveryTimeoutSeconds).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    public GatewayHostFixture Gateway => GatewayHostFixture.Over(Host);

    /// <summary>A HIP partner whose bridge is the sample HIP, and its session token.</summary>
    public async Task<TestHip> HipAsync()
    {
        var (clientId, secret) = await Gateway.RegisterPartnerAsync($"http://localhost:{Host.Port}/api/sandbox/bridges/hip", Roles.Hip);
        return new TestHip(this, clientId, await Gateway.SessionTokenAsync(clientId, secret));
    }

    /// <summary>An enrolled patient with an ABHA address, and their PATIENT token.</summary>
    public async Task<TestPatient> PatientAsync()
    {
        var identity = NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var handle = "l" + Guid.NewGuid().ToString("N")[..12];
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(enrolled)));
        return new TestPatient(this, Number(enrolled).Replace("-", ""), handle + "@sbx", identity, Token(enrolled));
    }

    /// <summary>Waits for a message the platform sent the sample HIP at <paramref name="path"/> whose body contains <paramref name="marker"/>.</summary>
    public async Task<JsonElement> ReceivedAsync(string path, string marker, TimeSpan? within = null) =>
        JsonDocument.Parse((await ReceivedRequestAsync(path, marker, within)).GetProperty("body").GetString()!).RootElement.Clone();

    /// <summary>As <see cref="ReceivedAsync"/>, the whole received request (path, headers, body text).</summary>
    public async Task<JsonElement> ReceivedRequestAsync(string path, string marker, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync("api/sandbox/bridges/hip/received");
            var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("received");
            foreach (var item in list.EnumerateArray())
            {
                var body = item.GetProperty("body").GetString()!;
                if (item.GetProperty("path").GetString()!.EndsWith(path, StringComparison.Ordinal) && body.Contains(marker, StringComparison.Ordinal))
                {
                    return item.Clone();
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the sample HIP received nothing at {path} containing {marker}");
    }
}

public sealed record TestPatient(LinkingHostFixture Host, string AbhaNumber, string AbhaAddress, TestIdentity Identity, string Token)
{
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null) =>
        HealthIdApi.SendAsync(Host.Client, method, path, Token, body);

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls until <paramref name="done"/> holds (bounded).</summary>
    public async Task<JsonElement> UntilAsync(string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await JsonAsync(HttpMethod.Get, path);
            if (done(last)) return last;
            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} never reached the expected state: {last}");
    }
}

public sealed record TestHip(LinkingHostFixture Host, string ClientId, string Token)
{
    /// <summary>
    /// Posts an ABDM message as this HIP, as each kind of client does: v0.5 paths carry requestId and timestamp in the
    /// body only, v3 paths in the REQUEST-ID / TIMESTAMP headers only; X-CM-ID always.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, object?> body, string? requestId = null)
    {
        requestId ??= Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        var v3 = path.Contains("/v3/", StringComparison.Ordinal);
        if (!v3)
        {
            body["requestId"] = requestId;
            body["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        using var request = GatewayHostFixture.Request(HttpMethod.Post, path, Token, body, v3 ? requestId : null, v3 ? now : null);
        request.Headers.TryAddWithoutValidation("X-CM-ID", Abdm.AbdmHostFixture.CmId);
        return await Host.Client.SendAsync(request);
    }

    public async Task AcceptedAsync(string path, Dictionary<string, object?> body, string? requestId = null)
    {
        using var response = await PostAsync(path, body, requestId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted && text.Length == 0, $"{path}: {(int)response.StatusCode} {text}");
    }
}
