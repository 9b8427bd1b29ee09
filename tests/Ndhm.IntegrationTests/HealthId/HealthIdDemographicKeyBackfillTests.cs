using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// The demographic-key backfill over the real host and emulators: accounts in the shape written before the demographic
/// dedup key existed (no <c>demographicHash</c>) are not found by a camp batch until the backfill has run, and are after it;
/// a second run changes nothing.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdDemographicKeyBackfillTests(SharedHealthIdHostFixture sandbox)
{
    private const string BackfillPath = "api/v1/admin/health-id/demographic-keys/backfill?restart=";
    private HttpClient Client => sandbox.Client;

    private static Container HealthIds => SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.HealthIds.Name);

    [Fact]
    [Trait("M1", "CRT_ABHA_303")]
    public async Task GivenAccountsWrittenBeforeTheDemographicKey_WhenTheBackfillRuns_ThenACampRecordOfThePersonIsADuplicate_AndNotBefore()
    {
        var before = sandbox.NextIdentity();
        var after = sandbox.NextIdentity();
        var beforeNumber = Digits(Number(await EnrolAsync(Client, before)));
        var afterNumber = Digits(Number(await EnrolAsync(Client, after)));
        await StripDemographicHashAsync(beforeNumber);
        await StripDemographicHashAsync(afterNumber);
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);

        var notFound = await UploadAsync(worker, before);
        var firstRun = await BackfillUntilCompleteAsync(restart: true);
        var found = await UploadAsync(worker, after);
        var hashAfterFirst = (await HealthIdCosmos.ReadAccountAsync(afterNumber)).GetProperty("demographicHash").GetString();
        var blockAfterFirst = (await HealthIdCosmos.ReadAccountAsync(afterNumber)).GetProperty("demographicBlockHash").GetString();
        var etagAfterFirst = (await HealthIdCosmos.ReadAccountAsync(afterNumber)).GetProperty("_etag").GetString();
        var secondRun = await BackfillUntilCompleteAsync(restart: true);

        // Before: the old-shape account was invisible, so the camp created a second ABHA for the same person.
        Assert.Equal("ACCEPTED", notFound.GetProperty("status").GetString());
        // After: found, its number not disclosed.
        Assert.Equal("REJECTED", found.GetProperty("status").GetString());
        Assert.Equal("DUPLICATE_ACCOUNT", found.GetProperty("reasonCode").GetString());
        Assert.False(found.TryGetProperty("abhaNumber", out _));
        Assert.True(firstRun.GetProperty("changed").GetInt64() >= 2, firstRun.GetRawText());
        Assert.Matches("^[0-9a-f]{64}$", hashAfterFirst);
        Assert.Matches("^[0-9a-f]{64}$", blockAfterFirst);
        // A second run visits no account twice: the backfilled one is not written or audited again.
        Assert.Equal(etagAfterFirst, (await HealthIdCosmos.ReadAccountAsync(afterNumber)).GetProperty("_etag").GetString());
        Assert.True(secondRun.GetProperty("completed").GetBoolean());
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(afterNumber, "abha.demographic-key.backfill"));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(beforeNumber, "abha.demographic-key.backfill"));
    }

    [Fact]
    public async Task GivenAHealthWorker_WhenRunningTheBackfill_ThenForbidden()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        using var request = new HttpRequestMessage(HttpMethod.Post, BackfillPath + "false") { Headers = { Authorization = new("Bearer", worker) } };

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<JsonElement> UploadAsync(string worker, TestIdentity person)
    {
        var record = new Dictionary<string, object?>
        {
            ["recordId"] = "r-1", ["firstName"] = person.FirstName, ["lastName"] = person.LastName, ["yearOfBirth"] = 1992, ["gender"] = "F",
            ["district"] = "Pune", ["state"] = "Maharashtra", ["pinCode"] = "411001",
            ["consent"] = new { code = "abha-enrollment", version = "1.4" },
            ["attestation"] = new { attested = true, method = "DOCUMENT_SEEN", collectedAt = DateTimeOffset.UtcNow.AddHours(-1) },
        };
        var batch = new { batchId = "camp-" + Guid.NewGuid().ToString("N")[..12], programme = "PMJAY", records = new[] { record } };
        var json = await OkJsonAsync(await PostAsync(Client, "v3/assisted/enrollment/demographic/batches", batch, worker));
        return json.GetProperty("results")[0];
    }

    /// <summary>Calls the admin command until it reports completed (each call does at most 10 pages).</summary>
    private async Task<JsonElement> BackfillUntilCompleteAsync(bool restart)
    {
        var admin = await SandboxHostFixture.TokenForAsync(Client, "ops-" + Guid.NewGuid().ToString("N")[..6], Roles.PlatformAdmin);
        for (var call = 0; call < 50; call++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, BackfillPath + (restart && call == 0 ? "true" : "false"))
            {
                Headers = { Authorization = new("Bearer", admin) },
            };
            var report = await OkJsonAsync(await Client.SendAsync(request));
            if (report.GetProperty("completed").GetBoolean()) return report;
        }

        throw new TimeoutException("the backfill did not complete in 50 calls");
    }

    /// <summary>The account as versions before the demographic keys stored it: without <c>demographicHash</c> and <c>demographicBlockHash</c>.</summary>
    private static async Task StripDemographicHashAsync(string digits)
    {
        using var read = await HealthIds.ReadItemStreamAsync(digits, new PartitionKey(digits));
        read.EnsureSuccessStatusCode();
        var document = JsonNode.Parse(read.Content)!.AsObject();
        foreach (var field in new[] { "demographicHash", "demographicBlockHash" })
        {
            Assert.NotNull(document[field]);
            document.Remove(field);
        }
        foreach (var system in new[] { "_rid", "_self", "_etag", "_attachments", "_ts" }) document.Remove(system);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        using var written = await HealthIds.ReplaceItemStreamAsync(body, digits, new PartitionKey(digits));
        written.EnsureSuccessStatusCode();
    }

    private static string Digits(string number) => number.Replace("-", "", StringComparison.Ordinal);
}
