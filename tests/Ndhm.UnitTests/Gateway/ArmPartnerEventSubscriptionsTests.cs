using System.Net;
using System.Text.Json;
using Azure.Core.Pipeline;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Gateway;

namespace Ndhm.UnitTests.Gateway;

public sealed class ArmPartnerEventSubscriptionsTests
{
    private const string Topic =
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ndhm-dev/providers/Microsoft.ServiceBus/namespaces/sb-ndhm-dev/topics/partner-events";
    private const string PartnerId = "city-hospital";
    private static readonly string Subscription =
        "https://management.azure.com" + Topic + "/subscriptions/" + PartnerStreamNames.Subscription(PartnerId);
    private static readonly string Version = "?api-version=" + ArmPartnerEventSubscriptions.ApiVersion;

    private readonly FixedTokenCredential credential = new();

    private ArmPartnerEventSubscriptions Adapter(ScriptedHttp http) =>
        ArmPartnerEventSubscriptions.Create(Topic, credential, transport: new HttpClientTransport(new HttpClient(http)), pollInterval: TimeSpan.Zero);

    [Fact]
    public async Task GivenNoSubscription_WhenEnsured_ThenItIsCreatedInQuarantineFilteredOnThePartnerWithoutDefaultRuleThenOpened()
    {
        var http = new ScriptedHttp(r => r.Method == "GET" ? ScriptedHttp.Json(HttpStatusCode.NotFound, """{"error":{"code":"NotFound"}}""")
            : ScriptedHttp.Json(HttpStatusCode.OK, "{}"));

        await Adapter(http).EnsureAsync(PartnerId, CancellationToken.None);

        Assert.Equal(
        [
            ("GET", Subscription + Version),
            ("PUT", Subscription + Version),
            ("PUT", Subscription + "/rules/partner" + Version),
            ("DELETE", Subscription + "/rules/%24Default" + Version),
            ("PUT", Subscription + Version),
        ], http.Requests.Select(r => (r.Method, r.Url)).ToList());
        Assert.Equal(ArmPartnerEventSubscriptions.QuarantineTtl, Property(http.Requests[1], "defaultMessageTimeToLive"));
        Assert.False(Properties(http.Requests[1]).GetProperty("deadLetteringOnMessageExpiration").GetBoolean());
        Assert.Equal("SqlFilter", Property(http.Requests[2], "filterType"));
        Assert.Equal("partnerId = 'city-hospital'", Properties(http.Requests[2]).GetProperty("sqlFilter").GetProperty("sqlExpression").GetString());
        Assert.Equal(ArmPartnerEventSubscriptions.MessageTtl, Property(http.Requests[4], "defaultMessageTimeToLive"));
        Assert.All(http.Requests, r => Assert.Equal("Bearer " + FixedTokenCredential.Token, r.Authorization));
        Assert.All(credential.Scopes, s => Assert.Equal(["https://management.azure.com/.default"], s));
    }

    [Fact]
    public async Task GivenAFinishedSubscription_WhenEnsuredAgain_ThenTheFilterIsReassertedAndItsMessageLifetimeIsLeftAlone()
    {
        var http = new ScriptedHttp(r => (r.Method, r.Url) switch
        {
            ("GET", _) => ScriptedHttp.Json(HttpStatusCode.OK, """{"properties":{"defaultMessageTimeToLive":"P14D"}}"""),
            ("DELETE", _) => ScriptedHttp.Json(HttpStatusCode.NotFound, """{"error":{"code":"NotFound"}}"""),
            _ => ScriptedHttp.Json(HttpStatusCode.OK, "{}"),
        });

        await Adapter(http).EnsureAsync(PartnerId, CancellationToken.None);

        Assert.Equal(["GET", "PUT", "DELETE"], http.Requests.Select(r => r.Method).ToList());
        Assert.EndsWith("/rules/partner" + Version, http.Requests[1].Url);
    }

    [Fact]
    public async Task GivenASubscriptionLeftInQuarantineByAFailedAttempt_WhenEnsured_ThenTheRetryFinishesIt()
    {
        var http = new ScriptedHttp(r => r.Method == "GET"
            ? ScriptedHttp.Json(HttpStatusCode.OK, """{"properties":{"defaultMessageTimeToLive":"PT1S"}}""")
            : ScriptedHttp.Json(HttpStatusCode.OK, "{}"));

        await Adapter(http).EnsureAsync(PartnerId, CancellationToken.None);

        Assert.Equal(["GET", "PUT", "DELETE", "PUT"], http.Requests.Select(r => r.Method).ToList());
        Assert.Equal(ArmPartnerEventSubscriptions.MessageTtl, Property(http.Requests[3], "defaultMessageTimeToLive"));
    }

    [Fact]
    public async Task GivenAnAsynchronousAnswer_WhenEnsured_ThenTheOperationIsPolledUntilItSucceeds()
    {
        var operation = "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.ServiceBus/locations/centralindia/operationStatuses/op-1?api-version=2026-01-01";
        var polls = 0;
        var http = new ScriptedHttp(r => (r.Method, r.Url) switch
        {
            ("GET", var url) when url == operation => ScriptedHttp.Json(HttpStatusCode.OK, ++polls < 2 ? """{"status":"InProgress"}""" : """{"status":"Succeeded"}"""),
            ("GET", _) => ScriptedHttp.Json(HttpStatusCode.NotFound, "{}"),
            ("PUT", var url) when !url.Contains("/rules/", StringComparison.Ordinal) && polls == 0 =>
                ScriptedHttp.Json(HttpStatusCode.Created, "{}", ("Azure-AsyncOperation", operation)),
            _ => ScriptedHttp.Json(HttpStatusCode.OK, "{}"),
        });

        await Adapter(http).EnsureAsync(PartnerId, CancellationToken.None);

        Assert.Equal(2, http.Requests.Count(r => r.Url == operation));
        Assert.Equal(("PUT", Subscription + "/rules/partner" + Version), (http.Requests[4].Method, http.Requests[4].Url));
    }

    [Fact]
    public async Task GivenAnOperationLinkToAnotherHost_WhenEnsured_ThenTheTokenIsNotSentThereAndTheCallFails()
    {
        var http = new ScriptedHttp(r => r.Method == "GET" ? ScriptedHttp.Json(HttpStatusCode.NotFound, "{}")
            : ScriptedHttp.Json(HttpStatusCode.Accepted, "{}", ("Location", "https://attacker.example.org/op")));

        var error = await Assert.ThrowsAsync<DomainException>(() => Adapter(http).EnsureAsync(PartnerId, CancellationToken.None));

        Assert.Equal("PARTNER_EVENTS_UNAVAILABLE", error.Code);
        Assert.DoesNotContain(http.Requests, r => r.Url.Contains("attacker", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task GivenResourceManagerRefusesThePut_WhenEnsured_ThenTheRegistrationGetsARetryableUnavailable(HttpStatusCode status)
    {
        var http = new ScriptedHttp(r => r.Method == "GET" ? ScriptedHttp.Json(HttpStatusCode.NotFound, "{}")
            : ScriptedHttp.Json(status, """{"error":{"code":"AuthorizationFailed"}}"""));

        var error = await Assert.ThrowsAsync<DomainException>(() => Adapter(http).EnsureAsync(PartnerId, CancellationToken.None));

        Assert.Equal((ErrorKind.DependencyUnavailable, "PARTNER_EVENTS_UNAVAILABLE"), (error.Kind, error.Code));
        Assert.Equal(2, http.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task GivenAnyDeleteAnswerButAnError_WhenRemoved_ThenTheSubscriptionIsGone(HttpStatusCode status)
    {
        var http = new ScriptedHttp(_ => ScriptedHttp.Status(status));

        await Adapter(http).RemoveAsync(PartnerId, CancellationToken.None);

        Assert.Equal(("DELETE", Subscription + Version), (http.Requests.Single().Method, http.Requests.Single().Url));
    }

    [Fact]
    public async Task GivenADeleteResourceManagerRefuses_WhenRemoved_ThenTheDeactivationGetsARetryableUnavailable()
    {
        var http = new ScriptedHttp(_ => ScriptedHttp.Json(HttpStatusCode.Forbidden, """{"error":{"code":"AuthorizationFailed"}}"""));

        var error = await Assert.ThrowsAsync<DomainException>(() => Adapter(http).RemoveAsync(PartnerId, CancellationToken.None));

        Assert.Equal("PARTNER_EVENTS_UNAVAILABLE", error.Code);
    }

    [Theory]
    [InlineData("partner-events")]
    [InlineData("/subscriptions/x/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/sb/queues/q")]
    [InlineData("https://management.azure.com/subscriptions/x/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/sb/topics/t")]
    public void GivenSomethingOtherThanATopicResourceId_WhenConfigured_ThenTheAppRefusesToStart(string id) =>
        Assert.Throws<InvalidOperationException>(() => ArmPartnerEventSubscriptions.ValidateTopicResourceId(id));

    private static JsonElement Properties(SentRequest request) => JsonDocument.Parse(request.Body!).RootElement.GetProperty("properties");

    private static string? Property(SentRequest request, string name) => Properties(request).GetProperty(name).GetString();
}
