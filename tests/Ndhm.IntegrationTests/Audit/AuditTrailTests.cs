using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Audit;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.Registry.RegistryApi;

namespace Ndhm.IntegrationTests.Audit;

/// <summary>
/// The trail over the real host and the emulator's Cosmos: registry admin changes land on the facility's chain,
/// signing runs on demand, and raw documents tampered with in Cosmos are named by the admin verification endpoint.
/// </summary>
[Collection(SharedSandboxHost.Name)]
public sealed class AuditTrailTests(SandboxHostFixture sandbox)
{
    private static Container Audit => SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.Audit.Name);

    [Fact]
    public async Task GivenAFacilityVerifiedDeactivatedAndReactivated_WhenSignedAndVerified_ThenItsChainHoldsTheThreeChangesIntact()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var (chain, _) = await AuditedFacilityAsync(admin);

        var report = await VerifyAsync(admin, chain);
        var export = await GetJsonAsync(sandbox, admin, $"api/v1/admin/audit/chains/{chain}/export");

        Assert.True(report.GetProperty("intact").GetBoolean(), report.ToString());
        Assert.Equal(3, report.GetProperty("signedSeq").GetInt64());
        Assert.Equal(["facility.verify", "facility.deactivate", "facility.reactivate"],
            export.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entry").GetProperty("action").GetString()));
        var actor = export.GetProperty("entries")[0].GetProperty("entry").GetProperty("actor");
        Assert.Equal(["PLATFORM_ADMIN"], actor.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(string.IsNullOrEmpty(export.GetProperty("entries")[0].GetProperty("entry").GetProperty("requestId").GetString()));
    }

    [Theory]
    [InlineData("alter", AuditProblems.EntryAltered, 2)]
    [InlineData("remove", AuditProblems.EntryMissing, 2)]
    [InlineData("renumber", AuditProblems.LinkBroken, 2)]
    [InlineData("insert", AuditProblems.LinkBroken, 4)]
    [InlineData("rewrite-head", AuditProblems.HeadMismatch, 3)]
    public async Task GivenRawDocumentsTamperedInCosmos_WhenAnAdminVerifiesTheChain_ThenTheFirstBadEntryIsNamed(string tamper, string code, long seq)
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var (chain, _) = await AuditedFacilityAsync(admin);

        switch (tamper)
        {
            case "alter":
                await EditAsync(chain, 2, entry => entry["action"] = "facility.delete", rehash: false);
                break;
            case "remove":
                await Audit.DeleteItemAsync<JsonObject>(AuditEntryId.For(chain, 2), new PartitionKey(chain));
                break;
            case "renumber":
                // Entries 2 and 3 swap places, each rehashed: the order of events is rewritten.
                var second = await ReadAsync(chain, 2);
                var third = await ReadAsync(chain, 3);
                await WriteAsync(chain, 2, Renumbered(third, 2));
                await WriteAsync(chain, 3, Renumbered(second, 3));
                break;
            case "insert":
                // A forged entry takes place 3, linked to entry 2; the old entry 3 moves to place 4.
                var old = await ReadAsync(chain, 3);
                await WriteAsync(chain, 4, Renumbered(old, 4));
                var forged = old.DeepClone().AsObject();
                forged["entry"]!["action"] = "facility.verify";
                Rehash(forged);
                await WriteAsync(chain, 3, forged);
                break;
            case "rewrite-head":
                await EditAsync(chain, 3, entry => entry["action"] = "facility.verify", rehash: true);
                break;
        }

        var report = await VerifyAsync(admin, chain);

        Assert.False(report.GetProperty("intact").GetBoolean(), report.ToString());
        var problem = report.GetProperty("firstProblem");
        Assert.Equal((code, seq), (problem.GetProperty("code").GetString(), problem.GetProperty("seq").GetInt64()));
        Assert.Equal(AuditEntryId.For(chain, seq), problem.GetProperty("entryId").GetString());
    }

    [Fact]
    public async Task GivenAPatientsChain_WhenThePatientReadsTheirTrail_ThenNewestComesFirstPagedAndOthersCannotReadIt()
    {
        var abha = "91" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999);
        var trail = new AuditTrail(new CosmosAuditStore(SandboxCosmos.Client, SandboxCosmos.Settings), TimeProvider.System);
        for (var i = 1; i <= 3; i++)
        {
            await trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(abha), new AuditActor("hiu-1", [Roles.Hiu], "hiu-1", RequestId: $"req-{i}"),
                "record.read", new AuditResource("care-context", $"cc-{i}"), "CAREMGT", $"consent-{i}"), default);
        }
        var patient = await SandboxHostFixture.TokenForAsync(sandbox.Client, abha, Roles.Patient);

        var first = await GetJsonAsync(sandbox, patient, "api/v1/patients/me/audit-trail?pageSize=2");
        var token = Uri.EscapeDataString(first.GetProperty("continuationToken").GetString()!);
        var second = await GetJsonAsync(sandbox, patient, $"api/v1/patients/me/audit-trail?pageSize=2&continuationToken={token}");
        using var partner = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, "api/v1/patients/me/audit-trail", await sandbox.TokenAsync(Roles.Hiu)));

        Assert.Equal([3L, 2L], first.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal([1L], second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        var newest = first.GetProperty("entries")[0];
        Assert.Equal(("hiu-1", "consent-3", "CAREMGT"),
            (newest.GetProperty("actor").GetString(), newest.GetProperty("consentId").GetString(), newest.GetProperty("purpose").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);
    }

    [Fact]
    public async Task GivenASignedChainDeletedFromCosmos_WhenTheDigestIsVerified_ThenTheChainIsNamed()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var chain = AuditChainKey.Partner("audit-it-" + Guid.NewGuid().ToString("N")[..12]);
        var trail = new AuditTrail(new CosmosAuditStore(SandboxCosmos.Client, SandboxCosmos.Settings), TimeProvider.System);
        await trail.RecordAsync(new AuditEvent(chain, new AuditActor("ops-1", [Roles.PlatformAdmin]), "partner.register", new AuditResource("partner", chain)), default);
        await SignAsync(admin);
        Assert.DoesNotContain(chain, await BadDigestChainsAsync(admin));

        await Audit.DeleteItemAsync<JsonObject>(AuditEntryId.For(chain, 1), new PartitionKey(chain));
        await Audit.DeleteItemAsync<JsonObject>("signed-head", new PartitionKey(chain));

        Assert.Contains(chain, await BadDigestChainsAsync(admin));
    }

    private async Task<List<string>> BadDigestChainsAsync(string admin) =>
        (await GetJsonAsync(sandbox, admin, "api/v1/admin/audit/digest/verify")).GetProperty("badChains").EnumerateArray()
            .Select(c => c.GetProperty("chain").GetString()!).ToList();

    /// <summary>A facility with three admin changes on its chain, signed.</summary>
    private async Task<(string Chain, string FacilityId)> AuditedFacilityAsync(string admin)
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var (registered, _) = await RegisterFacilityAsync(sandbox, hip, Facility("Audited Clinic", UniqueDistrict()));
        var id = registered.GetProperty("facilityId").GetString()!;
        foreach (var (action, body) in new (string, object?)[] { ("verify", null), ("deactivate", new { reason = "closed" }), ("reactivate", null) })
        {
            using var response = await SendAsync(sandbox, HttpMethod.Post, $"api/v1/facilities/{id}/{action}", admin, body);
            Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await SignAsync(admin);
        return (AuditChainKey.Facility(id), id);
    }

    private async Task SignAsync(string admin)
    {
        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/admin/audit/sign", admin));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private Task<JsonElement> VerifyAsync(string admin, string chain) => GetJsonAsync(sandbox, admin, $"api/v1/admin/audit/chains/{chain}/verify");

    private static async Task<JsonObject> ReadAsync(string chain, long seq) =>
        (await Audit.ReadItemAsync<JsonObject>(AuditEntryId.For(chain, seq), new PartitionKey(chain))).Resource;

    /// <summary>Writes a raw document at place <paramref name="seq"/>, as an insider with write access to the container could.</summary>
    private static Task WriteAsync(string chain, long seq, JsonObject document)
    {
        document["id"] = AuditEntryId.For(chain, seq);
        foreach (var system in new[] { "_rid", "_self", "_etag", "_attachments", "_ts" }) document.Remove(system);
        return Audit.UpsertItemAsync(document, new PartitionKey(chain));
    }

    private static async Task EditAsync(string chain, long seq, Action<JsonObject> edit, bool rehash)
    {
        var document = await ReadAsync(chain, seq);
        edit(document["entry"]!.AsObject());
        if (rehash) Rehash(document);
        await WriteAsync(chain, seq, document);
    }

    private static JsonObject Renumbered(JsonObject document, long seq)
    {
        var copy = document.DeepClone().AsObject();
        copy["seq"] = seq;
        copy["entry"]!["seq"] = seq;
        Rehash(copy);
        return copy;
    }

    private static void Rehash(JsonObject document) =>
        document["hash"] = AuditHashing.HashOf(JsonSerializer.SerializeToElement(document["entry"]));
}
