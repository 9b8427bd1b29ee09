using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Ndhm.Core.Errors;
using Ndhm.Core.RateLimits;
using Ndhm.Core.Security;
using Ndhm.Triggers.Hosting;
using Ndhm.Triggers.Http;

namespace Ndhm.UnitTests.RateLimits;

public sealed class RateLimitGateTests
{
    private static FunctionDescriptor Function(string name) => FunctionCatalog.Functions.Single(f => f.Name == name);

    private static CallerIdentity Caller(string subject, string? clientId = null) =>
        new(subject, new HashSet<string> { Roles.Hip }, "jti", DateTimeOffset.UtcNow.AddMinutes(5)) { ClientId = clientId };

    private static DefaultHttpContext Request(string path, string remote = "192.0.2.7", string? forwardedFor = null, string? json = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null)
            http.Request.Headers["X-Forwarded-For"] = forwardedFor;
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
        }

        return http;
    }

    private static RateLimitGate Gate(IRateLimiter? limiter = null, string? header = null) =>
        new(limiter ?? new CountingLimiter(), RateLimitPolicies.FromSettings(_ => null), new RateLimitClientIp(header));

    [Fact]
    public void GivenTheRuleTable_WhenCheckedAgainstTheFunctions_ThenEveryOperationIsAnHttpFunctionAndEveryPolicyExists()
    {
        var policies = RateLimitPolicies.FromSettings(_ => null);
        foreach (var (operation, rules) in OperationRateLimits.ByOperation)
        {
            var function = FunctionCatalog.Functions.SingleOrDefault(f => f.Name == operation);
            Assert.True(function is { Kind: TriggerKind.Http }, $"{operation} is not an HTTP function");
            Assert.All(rules, rule => Assert.NotNull(policies[rule.Policy]));
            Assert.All(rules.Where(r => r.Key == RateLimitKeyKind.RouteValue), rule => Assert.Contains(
                function!.Method.GetParameters(), p => p.Name == rule.Name));
        }
    }

    [Theory]
    [InlineData("RequestLoginOtp", RateLimitPolicies.OtpRequest)]
    [InlineData("VerifyLoginOtp", RateLimitPolicies.OtpVerification)]
    [InlineData("RefreshPatientToken", RateLimitPolicies.Login)]
    [InlineData("SearchFacilities", RateLimitPolicies.RegistrySearch)]
    [InlineData("VerifyAbha", RateLimitPolicies.PartnerLookup)]
    [InlineData("CreateSession", RateLimitPolicies.SessionIp)]
    public void GivenAnAbuseProneOperation_WhenItsRulesAreRead_ThenItIsLimited(string operation, string policy)
    {
        Assert.Contains(OperationRateLimits.For(operation), r => r.Policy == policy);
    }

    [Fact]
    public async Task GivenAnAuthenticatedCaller_WhenKeyed_ThenThePartnerClientIdOrElseTheSubjectIsTheKey()
    {
        var gate = Gate();
        var rule = new RateLimitRule(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller);
        var http = Request("/api/v3/verification/abha/x@sbx");

        Assert.Equal("caller:client-1", await gate.KeyAsync(http, Function("VerifyAbha"), Caller("sub", "client-1"), rule, default));
        Assert.Equal("caller:sub", await gate.KeyAsync(http, Function("VerifyAbha"), Caller("sub"), rule, default));
        Assert.Equal("ip:192.0.2.7", await gate.KeyAsync(http, Function("RequestLoginOtp"), null, rule, default));
    }

    [Theory]
    [InlineData(null, "192.0.2.7")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("10.0.0.1, 203.0.113.9:50123", "203.0.113.9")]
    [InlineData("10.0.0.1, [2001:db8::1]:443", "2001:db8::1")]
    [InlineData("not-an-address", "192.0.2.7")]
    public void GivenAForwardedHeader_WhenTheClientIpIsRead_ThenTheLastEntryWins(string? forwarded, string expected)
    {
        var clientIp = new RateLimitClientIp("X-Forwarded-For");

        Assert.Equal(expected, clientIp.Of(Request("/api/v1/sessions", forwardedFor: forwarded)));
    }

    [Fact]
    public void GivenNoConfiguredHeader_WhenAForwardedHeaderIsSent_ThenItIsIgnored()
    {
        Assert.Equal("192.0.2.7", new RateLimitClientIp(null).Of(Request("/api/v1/sessions", forwardedFor: "203.0.113.9")));
    }

    [Theory]
    [InlineData("91-1234-5678-9012", "91123456789012")]
    [InlineData("91123456789012", "91123456789012")]
    [InlineData("Asha.K@SBX", "asha.k@sbx")]
    [InlineData(" asha-k@sbx ", "asha-k@sbx")]
    public void GivenIdentifierSpellings_WhenNormalised_ThenOneIdentifierHasOneKey(string raw, string expected)
    {
        Assert.Equal(expected, RateLimitGate.NormaliseIdentifier(raw));
    }

    [Fact]
    public void GivenNoBoundRouteValues_WhenTheTargetIsRead_ThenTheTriggerRouteTemplateFindsIt()
    {
        var http = Request("/api/v3/verification/abha/91-1234-5678-9012");

        Assert.Equal("91-1234-5678-9012", RateLimitGate.RouteValue(http, Function("VerifyAbha"), "numberOrAddress"));
    }

    [Fact]
    public async Task GivenASessionRequest_WhenKeyedByClientId_ThenTheBodyIsStillReadableByTheFunction()
    {
        const string json = """{"clientId":"hip-7","clientSecret":"s","grantType":"client_credentials"}""";
        var http = Request("/api/v1/sessions", json: json);
        var rule = new RateLimitRule(RateLimitPolicies.SessionClient, RateLimitKeyKind.BodyField, "clientId");

        var key = await Gate().KeyAsync(http, Function("CreateSession"), null, rule, default);

        Assert.Equal("target:hip-7", key);
        Assert.Equal(json, await new StreamReader(http.Request.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task GivenAPartnerPastItsLookupLimit_WhenTheGateRuns_ThenItThrows429BeforeTheTargetIsCounted()
    {
        var limiter = new CountingLimiter();
        var gate = Gate(limiter);
        var caller = Caller("hip-1");
        var limit = RateLimitPolicies.Defaults.Single(p => p.Name == RateLimitPolicies.PartnerLookup).Limit;
        for (var i = 0; i < limit; i++)
            await gate.EnforceAsync(Request($"/api/v3/verification/abha/a{i}@sbx"), Function("VerifyAbha"), caller, default);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            gate.EnforceAsync(Request("/api/v3/verification/abha/last@sbx"), Function("VerifyAbha"), caller, default));

        Assert.Equal(ErrorCodes.RateLimited, error.Code);
        Assert.NotNull(error.RetryAfterSeconds);
        Assert.False(limiter.Counts.ContainsKey($"{RateLimitPolicies.PartnerLookupTarget}|target:last@sbx"));
    }

    [Fact]
    public async Task GivenAnOperationWithoutRules_WhenTheGateRuns_ThenNothingIsCounted()
    {
        var limiter = new CountingLimiter();

        await Gate(limiter).EnforceAsync(Request("/api/health"), Function("GetHealth"), null, default);

        Assert.Empty(limiter.Counts);
    }

    /// <summary>A one-process limiter for the gate's own logic (the shared counter is tested against Cosmos).</summary>
    private sealed class CountingLimiter : IRateLimiter
    {
        public Dictionary<string, long> Counts { get; } = [];

        public Task<RateLimitDecision> TryAcquireAsync(RateLimitPolicy policy, string key, CancellationToken ct)
        {
            var id = policy.Name + "|" + key;
            Counts[id] = Counts.GetValueOrDefault(id) + 1;
            return Task.FromResult(policy.Decide(Counts[id], DateTimeOffset.UtcNow));
        }
    }
}
