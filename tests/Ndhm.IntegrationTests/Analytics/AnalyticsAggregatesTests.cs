using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Analytics;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Analytics;

/// <summary>
/// Facts written to the run's <c>analytics-facts</c> outbox are folded in by the host's change-feed timer and read
/// back over HTTP as an ANALYTICS caller: small blocks withheld, differencing and margins give nothing away, CSV
/// matches JSON, every query is audited.
/// </summary>
[Collection(SharedSandboxHost.Name)]
public sealed class AnalyticsAggregatesTests(SandboxHostFixture fixture)
{
    // Last month, whole: closed, so the range is not clamped.
    private static readonly DateOnly Month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1).AddMonths(-1);

    private static AnalyticsFact Fact(string district, DateOnly day, string ageBand, string gender, string drugClass = "J01", string facility = "IN-HOSP-1") =>
        new(Guid.NewGuid().ToString("N"), "dispensings", day, new Dictionary<string, string?>
        {
            ["state"] = "KA", ["district"] = district, ["facilityType"] = "pharmacy", ["ageBand"] = ageBand, ["gender"] = gender,
            ["drugClass"] = drugClass, ["drugList"] = "H",
        }, facility);

    private static async Task SeedAsync(IEnumerable<AnalyticsFact> facts)
    {
        var sink = new CosmosAnalyticsFacts(SandboxCosmos.Client, SandboxCosmos.Settings);
        foreach (var fact in facts)
        {
            await sink.RecordAsync(fact, CancellationToken.None);
        }
    }

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> QueryAsync(string token, string query)
    {
        using var request = fixture.Request(HttpMethod.Get, "api/v1/analytics/aggregates?" + query, token);
        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonElement> WaitForTotalAsync(string token, string query, long total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var (status, body, _) = await QueryAsync(token, query);
            Assert.True(status == HttpStatusCode.OK, body);
            var json = JsonDocument.Parse(body).RootElement;
            if (json.GetProperty("total").GetInt64() == total) return json;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The aggregates never reached {total}: {body}");
            await Task.Delay(1000);
        }
    }

    private static string Range(DateOnly from, DateOnly to) => $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";

    [Fact]
    public async Task GivenFactsWithOneRareCombination_WhenQueriedOverHttp_ThenOnlyReleasedBlocksAreCountedAndDifferencingRevealsNothing()
    {
        // Arrange: a district of our own; 12 women 30-44 on the 3rd, 12 more on the 4th, and one man 75+ on the 4th.
        var district = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var third = Month.AddDays(2);
        var fourth = Month.AddDays(3);
        await SeedAsync([
            .. Enumerable.Range(0, 12).Select(_ => Fact(district, third, "30-44", "F")),
            .. Enumerable.Range(0, 12).Select(_ => Fact(district, fourth, "30-44", "F")),
            Fact(district, fourth, "75+", "M"),
        ]);
        var token = await fixture.TokenAsync(Roles.Analytics);
        var scope = $"measure=dispensings&district={district}";

        // Act
        var both = await WaitForTotalAsync(token, $"{scope}&{Range(third, fourth)}&dimensions=ageBand,gender", 24);
        var first = await WaitForTotalAsync(token, $"{scope}&{Range(third, third)}", 12);
        var men = await QueryAsync(token, $"{scope}&{Range(Month, Month.AddMonths(1).AddDays(-1))}&gender=M&granularity=month");
        var csv = await QueryAsync(token, $"{scope}&{Range(third, fourth)}&dimensions=ageBand,gender&format=csv");

        // Assert: the lone man is in no row, no total and no difference (24 - 12 = the 4th's released 12).
        Assert.All(both.GetProperty("rows").EnumerateArray(), r => Assert.Equal("F", r.GetProperty("dimensions").GetProperty("gender").GetString()));
        Assert.Equal(2, both.GetProperty("rows").GetArrayLength());
        Assert.Equal(12, both.GetProperty("total").GetInt64() - first.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.OK, men.Status);
        Assert.Equal(0, JsonDocument.Parse(men.Body).RootElement.GetProperty("total").GetInt64());
        Assert.Equal("text/csv", csv.ContentType);
        Assert.Equal(
            $"period,grain,ageBand,gender,count\r\n{third:yyyy-MM-dd},day,30-44,F,12\r\n{fourth:yyyy-MM-dd},day,30-44,F,12\r\n",
            csv.Body);
    }

    [Fact]
    public async Task GivenASingleSmallFacilityInADistrict_WhenAQueryNarrowsToIt_ThenItIsRefusedAndTheRefusalAudited()
    {
        // Arrange: district "tiny" has one facility with 4 events; district "large" one facility with 23 (written after,
        // so once the large one is counted the tiny one is too: the feed keeps write order).
        var tiny = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var large = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var day = Month.AddDays(10);
        await SeedAsync(Enumerable.Range(0, 4).Select(_ => Fact(tiny, day, "15-29", "M", facility: "IN-TINY-" + tiny)));
        await SeedAsync([
            .. Enumerable.Range(0, 3).Select(_ => Fact(large, day, "15-29", "F", facility: "IN-LARGE-" + large)),
            .. Enumerable.Range(0, 20).Select(_ => Fact(large, day, "15-29", "M", facility: "IN-LARGE-" + large)),
        ]);
        var token = await fixture.TokenAsync(Roles.Analytics);
        var audit = SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.Audit.Name);
        var before = await CountAuditedQueriesAsync(audit);

        // Act: narrowing to the large facility's district is allowed; to the tiny one's is not.
        await WaitForTotalAsync(token, $"measure=dispensings&district={large}&{Range(day, day)}", 20);
        var refused = await QueryAsync(token, $"measure=dispensings&district={tiny}&{Range(day, day)}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(AnalyticsErrors.SmallFacility, JsonDocument.Parse(refused.Body).RootElement.GetProperty("code").GetString());
        Assert.True(await CountAuditedQueriesAsync(audit) >= before + 2, "every query, answered or refused, is audited");
    }

    [Fact]
    public async Task GivenAnHiuToken_WhenItAsksForAggregates_ThenItIs403()
    {
        var token = await fixture.TokenAsync(Roles.Hiu);

        var (status, _, _) = await QueryAsync(token, $"measure=dispensings&{Range(Month, Month)}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    private static async Task<long> CountAuditedQueriesAsync(Container audit)
    {
        var query = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.entry.action = @action").WithParameter("@action", AnalyticsQueries.AuditAction);
        using var feed = audit.GetItemQueryIterator<long>(query);
        long count = 0;
        while (feed.HasMoreResults) count += (await feed.ReadNextAsync()).Sum();
        return count;
    }
}
