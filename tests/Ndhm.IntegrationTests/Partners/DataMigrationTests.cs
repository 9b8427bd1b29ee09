using System.Security.Cryptography;
using Ndhm.Audit;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Consent;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Infrastructure.Linking;
using Ndhm.IntegrationTests.Support;
using Ndhm.Linking;

namespace Ndhm.IntegrationTests.Partners;

/// <summary>
/// The deployment migrations (<c>POST /api/v1/admin/migrations/{name}</c>) against the run's Cosmos emulator and
/// Key Vault: data written in the old shapes is found wrongly (or not at all) before the migration and rightly after,
/// the migration runs in small resumable pages, and a second run changes nothing.
/// </summary>
public sealed class DataMigrationTests
{
    private static Partner PartnerFor(string clientId, params string[] facilities) =>
        new(clientId, "Partner " + clientId, [Roles.Hip], new Uri("https://bridge.example/" + clientId), facilities, Active: true,
            new HashedSecret("PBKDF2-SHA256", 1, "c2FsdA==", "aGFzaA=="), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    private static string FacilityId() => "IN31" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    /// <summary>Runs every page from the start with pages of <paramref name="max"/>; the pages' (visited, changed, next).</summary>
    private static async Task<List<Ndhm.Core.Maintenance.MigrationPage>> RunAllAsync(Ndhm.Core.Maintenance.IDataMigration migration, int max)
    {
        var pages = new List<Ndhm.Core.Maintenance.MigrationPage>();
        string? after = null;
        do
        {
            var page = await migration.RunPageAsync(after, max, default);
            pages.Add(page);
            after = page.Next;
        }
        while (after is not null);

        return pages;
    }

    [Fact]
    public async Task GivenPartnersWrittenWithoutIndexDocuments_WhenTheBackfillRunsInPages_ThenTheyRouteByFacility_AndNotBefore()
    {
        await PrivacyServicesForTest.EnsureSandboxDatabaseAsync();
        var (client, settings) = (SandboxCosmos.Client, SandboxCosmos.Settings);
        var index = new FacilityPartnerIndex(client, settings);
        var store = new CosmosPartnerStore(client, settings, index);
        var facilities = Enumerable.Range(0, 3).Select(_ => FacilityId()).ToList();
        var clients = facilities.Select(_ => Unique("old-hip-")).ToList();
        for (var i = 0; i < 3; i++)
        {
            await store.CreateAsync(PartnerFor(clients[i], facilities[i]), default);
            // The old shape: the partner document only (written before the index existed).
            await client.GetContainer(settings.Database, Ndhm.Infrastructure.Cosmos.CosmosContainers.Registry.Name)
                .DeleteItemAsync<object>(FacilityPartnerIndex.Key(facilities[i]), new Microsoft.Azure.Cosmos.PartitionKey(FacilityPartnerIndex.Key(facilities[i])));
        }

        var routing = new IndexedFacilityPartners(index, store);
        var before = await routing.ServingAsync(facilities[0], Roles.Hip, default);

        var pages = await RunAllAsync(new FacilityPartnerIndexMigration(store), max: 1);
        var again = await RunAllAsync(new FacilityPartnerIndexMigration(store), max: 500);

        Assert.Empty(before);
        Assert.True(pages.Count > 3, $"one partner per page: {pages.Count} pages");
        // Not "changed >= 3": a test host starting meanwhile on this run's database checks the index at its start-up
        // (CosmosSandboxInitialization) and may repair these partners first; what must hold is the routing after it.
        for (var i = 0; i < 3; i++) Assert.Equal([clients[i]], (await routing.ServingAsync(facilities[i], Roles.Hip, default)).Select(p => p.PartnerId));
        Assert.Equal(0, again.Sum(p => p.Changed));
    }

    [Fact]
    public async Task GivenALinkStoredUnderASingleFacilityHipsClientId_WhenMigrated_ThenAGrantAtTheFacilityIsLinked_AndNotBefore_AndItMergesWithLinksThere()
    {
        await PrivacyServicesForTest.EnsureSandboxDatabaseAsync();
        var (client, settings) = (SandboxCosmos.Client, SandboxCosmos.Settings);
        var privacy = PrivacyServicesForTest.Sandbox();
        var links = new CosmosCareContextLinkStore(client, settings, privacy.Fields, new FixedKeys());
        var partners = new CosmosPartnerStore(client, settings, new FacilityPartnerIndex(client, settings));
        var facility = FacilityId();
        var hospital = Unique("one-facility-hip-");
        var several = Unique("two-facility-hip-");
        await partners.CreateAsync(PartnerFor(hospital, facility), default);
        await partners.CreateAsync(PartnerFor(several, FacilityId(), FacilityId()), default);
        var patient = AbhaNumber();
        var other = AbhaNumber();
        // Before one HIP id: links under the partner's client id. One patient also has a visit linked at the facility since.
        await links.SaveLinksAsync(Links(patient, hospital, ("OP-1", "MRN-1")), null, default);
        await links.SaveLinksAsync(Links(other, hospital, ("OP-9", "MRN-9")), null, default);
        await links.SaveLinksAsync(Links(other, facility, ("OP-10", "MRN-9")), null, default);
        await links.SaveLinksAsync(Links(patient, several, ("LAB-1", "MRN-1")), null, default);
        var consent = new LinkedConsentCareContexts(new LinkedCareContextsReader(links, new LinkingAudit(new DiscardingAuditTrail(), new NoActor())));

        var before = await consent.NotLinkedAsync(patient, facility, [new CareContextRef("MRN-1", "OP-1")], default);
        var pages = await RunAllAsync(new LinkHipIdMigration(links, new CachedPartnerDirectory(partners, TimeProvider.System)), max: 1);
        var again = await RunAllAsync(new LinkHipIdMigration(links, new CachedPartnerDirectory(partners, TimeProvider.System)), max: 100);
        var after = await consent.NotLinkedAsync(patient, facility, [new CareContextRef("MRN-1", "OP-1")], default);

        Assert.Single(before);   // CARE_CONTEXT_NOT_LINKED before
        Assert.Empty(after);     // granted after
        Assert.True(pages.Sum(p => p.Changed) >= 2, string.Join(", ", pages));
        Assert.Equal(0, again.Sum(p => p.Changed));
        Assert.Null(await links.FindLinksAsync(patient, hospital, default));
        Assert.Equal(["OP-10", "OP-9"], (await links.FindLinksAsync(other, facility, default))!.Value.CareContexts.Select(c => c.ReferenceNumber).Order());
        // A partner serving several facilities keeps its client id as its HIP id: its links stay where they are.
        Assert.NotNull(await links.FindLinksAsync(patient, several, default));
    }

    private static CareContextLinks Links(string abhaNumber, string hipId, (string Reference, string PatientReference) context) => new()
    {
        AbhaNumber = abhaNumber,
        AbhaAddress = abhaNumber + "@sbx",
        HipId = hipId,
        PartnerId = hipId.StartsWith("IN", StringComparison.Ordinal) ? "someone" : hipId,
        PatientReference = context.PatientReference,
        PatientDisplay = "Test Patient",
        CareContexts = [new LinkedContext(context.Reference, "Visit " + context.Reference, ["OPConsultation"], DateTimeOffset.UtcNow, LinkSource.Patient)],
    };

    /// <summary>A random valid ABHA number (14 digits, Luhn check digit last).</summary>
    private static string AbhaNumber()
    {
        var body = "91" + Random.Shared.NextInt64(100_000_000_00, 999_999_999_99);
        for (var check = 0; check < 10; check++)
        {
            var candidate = body + check;
            var sum = candidate.Reverse().Select((c, i) => i % 2 == 1 ? ((c - '0') * 2 is var d && d > 9 ? d - 9 : d) : c - '0').Sum();
            if (sum % 10 == 0) return candidate;
        }

        throw new InvalidOperationException("no check digit");
    }

    private sealed class FixedKeys : IHealthIdKeySource
    {
        private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

        public ValueTask<byte[]> GetKeyAsync(HealthIdKeyPurpose purpose, CancellationToken ct) => ValueTask.FromResult(Key);
    }

    private sealed class DiscardingAuditTrail : IAuditTrail
    {
        public Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct) =>
            Task.FromResult(AuditEntry.From(auditEvent, 1, AuditHashing.Genesis, DateTimeOffset.UtcNow));
    }

    private sealed class NoActor : ICurrentAuditActor
    {
        public AuditActor? Current => null;
    }
}
