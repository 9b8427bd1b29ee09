using Microsoft.Extensions.Configuration;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Gateway;

namespace Ndhm.UnitTests.Gateway;

public sealed class PartnerRulesTests
{
    [Theory]
    [InlineData("https://bridge.example.org/abdm", false)]
    [InlineData("http://localhost:5005/bridge", true)]
    [InlineData("http://127.0.0.1:5005", true)]
    public void BridgeUrl_HttpsOrSandboxLoopback_IsAccepted(string url, bool sandbox) =>
        PartnerRules.ValidateBridgeUrl(url, sandbox);

    [Theory]
    [InlineData("http://localhost:5005/bridge", false)]
    [InlineData("http://bridge.example.org", true)]
    [InlineData("ftp://bridge.example.org", true)]
    [InlineData("https://bridge.example.org/?x=1", false)]
    [InlineData("not a url", true)]
    public void BridgeUrl_PlainHttpElsewhereOrOddUrls_AreRefused(string url, bool sandbox) =>
        Assert.Equal("INVALID_BRIDGE_URL", Assert.Throws<DomainException>(() => PartnerRules.ValidateBridgeUrl(url, sandbox)).Code);

    [Fact]
    public void Facilities_MustLookLikeHfrIds()
    {
        Assert.Single(PartnerRules.ValidateFacilities(["IN2810014366", "IN2810014366"]));
        Assert.Equal("INVALID_FACILITY_ID", Assert.Throws<DomainException>(() => PartnerRules.ValidateFacilities(["IN281001436"])).Code);
    }

    [Fact]
    public void Roles_PatientAndAdminAreNotPartnerRoles() =>
        Assert.Equal("INVALID_PARTNER_ROLES", Assert.Throws<DomainException>(() => PartnerRules.ValidateRoles(["HIP", "PLATFORM_ADMIN"])).Code);

    [Theory]
    [InlineData(null, PartnerEventTransport.StorageQueue)]
    [InlineData("", PartnerEventTransport.StorageQueue)]
    [InlineData("ndhm-sb.servicebus.windows.net", PartnerEventTransport.ServiceBusTopic)]
    public void PartnerEvents_GoToServiceBusOnlyWhenANamespaceIsConfigured(string? ns, PartnerEventTransport expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ServiceBus:FullyQualifiedNamespace"] = ns }).Build();
        Assert.Equal(expected, PartnerEventTransports.Choose(configuration));
    }

    [Fact]
    public void GatewayOptions_ReadBackoffFromSettings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:CallbackMaxAttempts"] = "4",
            ["Gateway:CallbackInitialDelayMs"] = "200",
            ["Gateway:CallbackMaxDelayMs"] = "1000",
        }).Build();

        var options = GatewayOptions.FromConfiguration(configuration);

        Assert.Equal(new Ndhm.Gateway.Callbacks.BackoffPolicy(4, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)), options.Backoff);
        Assert.Equal("sbx", options.CmId);
    }
}
