using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Gateway;

namespace Ndhm.UnitTests.Gateway;

public sealed partial class PartnerStreamNamesTests
{
    public static TheoryData<string> ClientIds() =>
    [
        "abc",
        "city-hospital",
        "City_Hospital.Lab-2",
        "9lives",
        "a.-_b",
        "x" + new string('_', 63),
        new string('A', 64),
        "tail-ends_with_.",
    ];

    [Theory]
    [MemberData(nameof(ClientIds))]
    public void GivenAnyValidClientId_ThenTheSubscriptionNameFollowsServiceBusRules(string clientId)
    {
        var name = PartnerStreamNames.Subscription(clientId);

        Assert.InRange(name.Length, 1, PartnerStreamNames.MaxSubscriptionNameLength);
        Assert.Matches(SubscriptionRule(), name);
    }

    [Theory]
    [MemberData(nameof(ClientIds))]
    public void GivenAnyValidClientId_ThenTheQueueNameFollowsStorageRules(string clientId)
    {
        var name = PartnerStreamNames.Queue(clientId);

        Assert.InRange(name.Length, 3, PartnerStreamNames.MaxQueueNameLength);
        Assert.Matches(QueueRule(), name);
        Assert.DoesNotContain("--", name);
        Assert.StartsWith(PartnerStreamNames.QueuePrefix, name);
    }

    [Fact]
    public void GivenIdsThatDifferOnlyInCaseOrPunctuation_ThenTheirStreamsDiffer()
    {
        string[] ids = ["City-Hospital", "city-hospital", "city_hospital", "city.hospital"];

        Assert.Equal(ids.Length, ids.Select(PartnerStreamNames.Subscription).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(ids.Length, ids.Select(PartnerStreamNames.Queue).Distinct().Count());
    }

    [Fact]
    public void GivenTheSameId_ThenTheNamesAreStableAndReadable()
    {
        Assert.Equal(PartnerStreamNames.Subscription("city-hospital"), PartnerStreamNames.Subscription("city-hospital"));
        Assert.StartsWith("city-hospital-", PartnerStreamNames.Subscription("city-hospital"));
        Assert.StartsWith("partner-events-city-hospital-", PartnerStreamNames.Queue("City_Hospital"));
    }

    [Fact]
    public void GivenAQuoteInTheId_ThenTheSqlFilterDoublesIt() =>
        Assert.Equal("partnerId = 'o''brien'", PartnerStreamNames.SqlFilter("o'brien"));

    [Theory]
    [InlineData(null, null, PartnerSubscriptionManagement.StorageQueue)]
    [InlineData(null, "arm", PartnerSubscriptionManagement.StorageQueue)]
    [InlineData("sb.servicebus.windows.net", null, PartnerSubscriptionManagement.Arm)]
    [InlineData("sb.servicebus.windows.net", "arm", PartnerSubscriptionManagement.Arm)]
    [InlineData("sb.servicebus.windows.net", "dataPlane", PartnerSubscriptionManagement.DataPlane)]
    [InlineData("sb.servicebus.windows.net", "none", PartnerSubscriptionManagement.None)]
    public void GivenTheSettings_ThenTheSubscriptionManagementFollowsThem(string? ns, string? mode, PartnerSubscriptionManagement expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceBus:FullyQualifiedNamespace"] = ns,
            ["Partners:SubscriptionManagement"] = mode,
        }).Build();

        Assert.Equal(expected, PartnerSubscriptionModes.Choose(configuration));
    }

    [Fact]
    public void GivenAMistypedMode_ThenTheAppRefusesToStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceBus:FullyQualifiedNamespace"] = "sb.servicebus.windows.net",
            ["Partners:SubscriptionManagement"] = "customRole",
        }).Build();

        Assert.Throws<InvalidOperationException>(() => PartnerSubscriptionModes.Choose(configuration));
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex SubscriptionRule();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex QueueRule();
}
