using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Azure.Messaging.ServiceBus.Administration;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Gateway;

namespace Ndhm.UnitTests.Gateway;

public sealed class ServiceBusAdminPartnerEventSubscriptionsTests
{
    private const string Namespace = "sb-ndhm-dev.servicebus.windows.net";
    private const string PartnerId = "lab.o'brien";

    private static ServiceBusAdminPartnerEventSubscriptions Adapter(ScriptedHttp http)
    {
        var options = new ServiceBusAdministrationClientOptions { Transport = new HttpClientTransport(new HttpClient(http)) };
        options.Retry.MaxRetries = 0;
        return new ServiceBusAdminPartnerEventSubscriptions(new ServiceBusAdministrationClient(Namespace, new FixedTokenCredential(), options), "partner-events");
    }

    [Fact]
    public async Task GivenANewPartner_WhenEnsured_ThenOneCallCreatesTheSubscriptionWithThePartnerFilterAsItsOnlyRule()
    {
        var http = new ScriptedHttp(r => Atom(HttpStatusCode.Created, r.Body!));

        await Adapter(http).EnsureAsync(PartnerId, CancellationToken.None);

        var put = Assert.Single(http.Requests);
        Assert.Equal("PUT", put.Method);
        Assert.StartsWith($"https://{Namespace}/partner-events/Subscriptions/{PartnerStreamNames.Subscription(PartnerId)}?api-version=", put.Url);
        Assert.Contains("<DefaultRuleDescription>", put.Body);
        Assert.Contains("SqlFilter", put.Body);
        Assert.Contains("<SqlExpression>partnerId = 'lab.o''brien'</SqlExpression>", put.Body);
        Assert.Contains("<Name>partner</Name>", put.Body);
        Assert.StartsWith("Bearer ", put.Authorization);
    }

    [Fact]
    public async Task GivenTheSubscriptionExists_WhenEnsuredAgain_ThenTheConflictMeansDone()
    {
        var http = new ScriptedHttp(_ => Error(HttpStatusCode.Conflict, "The messaging entity already exists."));

        await Adapter(http).EnsureAsync(PartnerId, CancellationToken.None);

        Assert.Single(http.Requests);
    }

    [Fact]
    public async Task GivenNoSubscription_WhenRemoved_ThenNotFoundMeansDone()
    {
        var http = new ScriptedHttp(_ => Error(HttpStatusCode.NotFound, "The messaging entity could not be found."));

        await Adapter(http).RemoveAsync(PartnerId, CancellationToken.None);

        var delete = Assert.Single(http.Requests);
        Assert.Equal("DELETE", delete.Method);
        Assert.StartsWith($"https://{Namespace}/partner-events/Subscriptions/{PartnerStreamNames.Subscription(PartnerId)}?api-version=", delete.Url);
    }

    [Fact]
    public async Task GivenTheIdentityMayNotManage_WhenEnsured_ThenARetryableUnavailable()
    {
        var http = new ScriptedHttp(_ => Error(HttpStatusCode.Unauthorized, "Manage claim is required for this operation."));

        var error = await Assert.ThrowsAsync<DomainException>(() => Adapter(http).EnsureAsync(PartnerId, CancellationToken.None));

        Assert.Equal((ErrorKind.DependencyUnavailable, "PARTNER_EVENTS_UNAVAILABLE"), (error.Kind, error.Code));
    }

    /// <summary>Service Bus echoes the created description inside an Atom entry.</summary>
    private static HttpResponseMessage Atom(HttpStatusCode status, string requestBody)
    {
        var description = requestBody[requestBody.IndexOf("<SubscriptionDescription", StringComparison.Ordinal)..(requestBody.IndexOf("</SubscriptionDescription>", StringComparison.Ordinal) + "</SubscriptionDescription>".Length)];
        var body = $"""
            <entry xmlns="http://www.w3.org/2005/Atom"><title type="text">{PartnerStreamNames.Subscription(PartnerId)}</title>
            <content type="application/xml">{description}</content></entry>
            """;
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/atom+xml") };
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string detail) => new(status)
    {
        Content = new StringContent($"<Error><Code>{(int)status}</Code><Detail>{detail}</Detail></Error>", Encoding.UTF8, "application/xml"),
    };
}
