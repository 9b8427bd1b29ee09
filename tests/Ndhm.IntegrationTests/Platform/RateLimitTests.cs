using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ndhm.Core.Configuration;
using Ndhm.Core.RateLimits;
using Ndhm.Core.Security;
using Ndhm.HealthId.Numbers;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>
/// A Health ID host with small abuse limits: 3 partner lookups per caller, 2 lookups per ABHA number or address,
/// 2 session attempts per client IP (read from X-Forwarded-For, as in Azure), 2 OTPs per ABHA number, address or mobile. Every test counts under its own
/// callers, targets and addresses, because all hosts of the run share the counters.
/// </summary>
public sealed class RateLimitedHostFixture : HealthIdHostFixture
{
    public const int LookupsPerCaller = 3;
    public const int LookupsPerTarget = 2;
    public const int SessionsPerIp = 2;
    public const int OtpsPerTarget = 2;
    /// <summary>A day: windows are aligned to the epoch, so a test's few requests never straddle a window's end (but at midnight UTC).</summary>
    public const int WindowSeconds = 86400;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        [SettingNames.RateLimitLimit(RateLimitPolicies.PartnerLookup)] = Invariant(LookupsPerCaller),
        [SettingNames.RateLimitLimit(RateLimitPolicies.PartnerLookupTarget)] = Invariant(LookupsPerTarget),
        [SettingNames.RateLimitLimit(RateLimitPolicies.SessionIp)] = Invariant(SessionsPerIp),
        [SettingNames.RateLimitLimit(RateLimitPolicies.OtpRequestTarget)] = Invariant(OtpsPerTarget),
        [SettingNames.RateLimitWindowSeconds(RateLimitPolicies.OtpRequestTarget)] = Invariant(WindowSeconds),
        [SettingNames.RateLimitWindowSeconds(RateLimitPolicies.PartnerLookup)] = Invariant(WindowSeconds),
        [SettingNames.RateLimitWindowSeconds(RateLimitPolicies.PartnerLookupTarget)] = Invariant(WindowSeconds),
        [SettingNames.RateLimitWindowSeconds(RateLimitPolicies.SessionIp)] = Invariant(WindowSeconds),
        [SettingNames.RateLimitsClientIpHeader] = "X-Forwarded-For",
    };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

public sealed class RateLimitTests(RateLimitedHostFixture sandbox) : IClassFixture<RateLimitedHostFixture>
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task GivenAPartnerAtItsLookupLimit_WhenItLooksUpOnceMore_ThenItGets429ProblemWithRetryAfter()
    {
        var hip = await TokenAsync(Client, "rl-" + Guid.NewGuid().ToString("N")[..10], Roles.Hip);

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitedHostFixture.LookupsPerCaller; i++)
        {
            using var response = await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{UnknownAddress()}", hip);
            allowed.Add(response.StatusCode);
        }

        using var refused = await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{UnknownAddress()}", hip);

        Assert.All(allowed, status => Assert.Equal(HttpStatusCode.NotFound, status));
        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal(RateLimitPolicies.PartnerLookup, problem.GetProperty("policy").GetString());
        var retryAfter = RetryAfterSeconds(refused);
        Assert.InRange(retryAfter, 1, RateLimitedHostFixture.WindowSeconds);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfterSeconds").GetInt32(), tolerance: 1);
    }

    [Fact]
    public async Task GivenAKnownAndAnUnknownAbhaNumberLookedUpToTheTargetLimit_WhenLookedUpOnceMore_ThenBothAnswerTheSame429()
    {
        var known = Number(await EnrolAsync(Client, sandbox.NextIdentity()));
        var unknown = AbhaNumber.FromBody("91" + string.Concat(Enumerable.Range(0, 11).Select(_ => Random.Shared.Next(10)))).Formatted;
        foreach (var target in new[] { known, unknown })
        {
            for (var i = 0; i < RateLimitedHostFixture.LookupsPerTarget; i++)
            {
                // A new partner each time: the per-target limit holds whoever asks.
                using var lookup = await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{target}", await NewHipAsync());
                Assert.Equal(target == known ? HttpStatusCode.OK : HttpStatusCode.NotFound, lookup.StatusCode);
            }
        }

        using var knownRefused = await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{known}", await NewHipAsync());
        // Reformatting the number does not make it a new target.
        using var unknownRefused = await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{unknown.Replace("-", "")}", await NewHipAsync());

        var knownProblem = await Problems.AssertProblemAsync(knownRefused, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        var unknownProblem = await Problems.AssertProblemAsync(unknownRefused, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal(Comparable(knownProblem), Comparable(unknownProblem));
        Assert.Equal(RetryAfterSeconds(knownRefused), RetryAfterSeconds(unknownRefused), tolerance: 1);
        Assert.Equal(HeaderNames(knownRefused), HeaderNames(unknownRefused));
    }

    [Fact]
    public async Task GivenOneClientAddressAtTheSessionLimit_WhenItTriesAgainBehindSpoofedForwardedEntries_ThenItGets429()
    {
        var address = $"203.0.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitedHostFixture.SessionsPerIp; i++)
        {
            // The front end appends the real address; what the client put before it must not buy fresh attempts.
            using var request = sandbox.SessionRequest($"10.{i}.0.1, {address}:5{i}123");
            using var response = await Client.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (i == RateLimitedHostFixture.SessionsPerIp)
                await Problems.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        }

        using var otherAddress = sandbox.SessionRequest($"198.51.100.{Random.Shared.Next(256)}");
        using var other = await Client.SendAsync(otherAddress);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task GivenOneCallerAtAnAbhaNumbersOtpLimit_WhenASecondCallerAsksForThatNumber_ThenItIsRefusedAlikeForAKnownAndAnUnknownNumber()
    {
        var known = Number(await EnrolAsync(Client, sandbox.NextIdentity()));
        var unknown = AbhaNumber.FromBody("91" + string.Concat(Enumerable.Range(0, 11).Select(_ => Random.Shared.Next(10)))).Formatted;
        var first = $"203.0.113.{Random.Shared.Next(256)}";
        foreach (var target in new[] { known, unknown })
        {
            for (var i = 0; i < RateLimitedHostFixture.OtpsPerTarget; i++)
            {
                using var allowed = await Client.SendAsync(LoginOtpRequest(target, first));
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
        }

        // Another client address (another caller of the gate's per-caller limit): the target's limit still holds.
        var second = $"198.51.100.{Random.Shared.Next(256)}";
        using var knownRefused = await Client.SendAsync(LoginOtpRequest(known, second));
        using var unknownRefused = await Client.SendAsync(LoginOtpRequest(unknown.Replace("-", ""), second));
        using var otherTarget = await Client.SendAsync(LoginOtpRequest(
            AbhaNumber.FromBody("91" + string.Concat(Enumerable.Range(0, 11).Select(_ => Random.Shared.Next(10)))).Formatted, second));

        var knownProblem = await Problems.AssertProblemAsync(knownRefused, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        var unknownProblem = await Problems.AssertProblemAsync(unknownRefused, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal(RateLimitPolicies.OtpRequestTarget, knownProblem.GetProperty("policy").GetString());
        Assert.Equal(Comparable(knownProblem), Comparable(unknownProblem));
        Assert.InRange(RetryAfterSeconds(knownRefused), 1, RateLimitedHostFixture.WindowSeconds);
        Assert.Equal(RetryAfterSeconds(knownRefused), RetryAfterSeconds(unknownRefused), tolerance: 1);
        Assert.Equal(HeaderNames(knownRefused), HeaderNames(unknownRefused));
        Assert.Equal(HttpStatusCode.OK, otherTarget.StatusCode);
    }

    private static HttpRequestMessage LoginOtpRequest(string abhaNumber, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/profile/login/request/otp")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { loginHint = "abha-number", loginId = abhaNumber }),
                new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return request;
    }

    private Task<string> NewHipAsync() => TokenAsync(Client, "rl-" + Guid.NewGuid().ToString("N")[..10], Roles.Hip);

    private static Task<string> TokenAsync(HttpClient client, string subject, params string[] roles) =>
        SandboxHostFixture.TokenForAsync(client, subject, roles);

    private static string UnknownAddress() => "zzrl" + Guid.NewGuid().ToString("N")[..12] + "@sbx";

    internal static int RetryAfterSeconds(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds
            : throw new Xunit.Sdk.XunitException($"no Retry-After on {(int)response.StatusCode}");

    private static string Comparable(JsonElement problem)
    {
        var fields = problem.EnumerateObject()
            .Where(p => p.Name is not ("instance" or "requestId" or "retryAfterSeconds" or "detail"))
            .Select(p => $"{p.Name}={p.Value.GetRawText()}");
        return string.Join(";", fields);
    }

    private static string HeaderNames(HttpResponseMessage response) =>
        string.Join(",", response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key))
            .Where(n => n is not ("Date" or "Content-Length")).Order(StringComparer.OrdinalIgnoreCase));
}

public static class RateLimitRequests
{
    /// <summary>A session request with a wrong secret (401) from the given X-Forwarded-For chain.</summary>
    public static HttpRequestMessage SessionRequest(this RateLimitedHostFixture _, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/sessions")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { clientId = "rl-" + Guid.NewGuid().ToString("N")[..10], clientSecret = "wrong", grantType = "client_credentials" }),
                new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return request;
    }
}

/// <summary>Two hosts of the app over the same Cosmos database: the limit is one count, not one per instance.</summary>
public sealed class RateLimitAcrossHostsTests
{
    private const int Limit = 4;

    [Fact]
    public async Task GivenACallerAtItsLimitOnOneHost_WhenItCallsASecondHost_ThenTheSecondHostRefusesIt()
    {
        var settings = new Dictionary<string, string?>
        {
            [SettingNames.RateLimitLimit(RateLimitPolicies.PartnerLookup)] = "4",
            [SettingNames.RateLimitWindowSeconds(RateLimitPolicies.PartnerLookup)] = "86400",
        };
        await using var first = await LocalHostProcess.StartAsync(settings);
        await using var second = await LocalHostProcess.StartAsync(settings);
        var subject = "rl-" + Guid.NewGuid().ToString("N")[..10];
        // Each host issues with its own issuer; the limit counts the caller, the same subject on both.
        var onFirst = await SandboxHostFixture.TokenForAsync(first.Client, subject, Roles.Hip);
        var onSecond = await SandboxHostFixture.TokenForAsync(second.Client, subject, Roles.Hip);

        var firstStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limit; i++)
        {
            using var lookup = await SendAsync(first.Client, HttpMethod.Get, $"v3/verification/abha/zzrl{i}{Guid.NewGuid().ToString("N")[..10]}@sbx", onFirst);
            firstStatuses.Add(lookup.StatusCode);
        }

        using var onSecondHost = await SendAsync(second.Client, HttpMethod.Get, $"v3/verification/abha/zzrl{Guid.NewGuid().ToString("N")[..10]}@sbx", onSecond);
        using var otherCaller = await SendAsync(second.Client, HttpMethod.Get, $"v3/verification/abha/zzrl{Guid.NewGuid().ToString("N")[..10]}@sbx",
            await SandboxHostFixture.TokenForAsync(second.Client, "rl-" + Guid.NewGuid().ToString("N")[..10], Roles.Hip));

        Assert.All(firstStatuses, status => Assert.Equal(HttpStatusCode.NotFound, status));
        await Problems.AssertProblemAsync(onSecondHost, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.InRange(RateLimitTests.RetryAfterSeconds(onSecondHost), 1, 86400);
        Assert.Equal(HttpStatusCode.NotFound, otherCaller.StatusCode);
    }
}
