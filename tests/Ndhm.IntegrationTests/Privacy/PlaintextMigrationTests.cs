using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Privacy;
using Ndhm.Infrastructure.Registry;
using Ndhm.IntegrationTests.Support;
using Ndhm.Privacy;
using Ndhm.Registry.Common;
using Ndhm.Registry.Professionals;

namespace Ndhm.IntegrationTests.Privacy;

/// <summary>
/// The in-place migration over the sandbox's registry container: professional documents written the old way, with
/// their personal details in plaintext, are encrypted once, however often the migration runs or resumes.
/// </summary>
public sealed class PlaintextMigrationTests : IAsyncLifetime
{
    public Task InitializeAsync() => PrivacyServicesForTest.EnsureSandboxDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly PrivacyServicesForTest privacy = PrivacyServicesForTest.Sandbox();

    private static Container Registry => SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.Registry.Name);

    /// <summary>A professional document as an earlier version would have stored one, personal details in plaintext.</summary>
    private static async Task<HprId> WriteTheOldWayAsync(string mobile, string email, string? birth)
    {
        var id = HprId.Parse("71" + Random.Shared.NextInt64(1000_0000_0000, 9999_9999_9999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var document = new JsonObject
        {
            ["id"] = id.Value,
            ["pk"] = "professional:" + id.Value,
            ["docType"] = "professional",
            ["nameFolded"] = "old way doctor",
            ["specialtiesFolded"] = new JsonArray("medicine"),
            ["languagesFolded"] = new JsonArray("english"),
            ["facilityIds"] = new JsonArray(),
            ["professional"] = new JsonObject
            {
                ["id"] = id.Value, ["hprAddress"] = $"old.{id.Value}@hpr.sbx", ["name"] = "Old Way Doctor", ["category"] = "doctor",
                ["council"] = "Kerala Medical Council", ["registrationNumber"] = "OLD-" + id.Value, ["qualifications"] = new JsonArray("MBBS"),
                ["specialties"] = new JsonArray("Medicine"), ["languages"] = new JsonArray("English"), ["facilityIds"] = new JsonArray(),
                ["verified"] = false, ["registeredBy"] = "hip-old", ["createdAt"] = "2025-01-01T00:00:00+00:00", ["updatedAt"] = "2025-01-01T00:00:00+00:00",
            },
            ["personal"] = new JsonObject { ["mobile"] = mobile, ["email"] = email, ["dateOfBirth"] = birth },
        };
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        using var response = await Registry.CreateItemStreamAsync(body, new PartitionKey("professional:" + id.Value));
        response.EnsureSuccessStatusCode();
        return id;
    }

    private static async Task<JsonNode> RawAsync(HprId id)
    {
        using var response = await Registry.ReadItemStreamAsync(id.Value, new PartitionKey("professional:" + id.Value));
        response.EnsureSuccessStatusCode();
        return (await JsonNode.ParseAsync(response.Content))!;
    }

    [Fact]
    public async Task GivenPlaintextDocuments_WhenTheMigrationRunsTwiceAndAgainFromScratch_ThenEachFieldIsEncryptedOnce_AndReadsBackAsBefore()
    {
        var first = await WriteTheOldWayAsync("9800000001", "first@example.in", "1980-01-02");
        var second = await WriteTheOldWayAsync("9800000002", "second@example.in", null);
        var store = new CosmosProfessionalStore(SandboxCosmos.Client, SandboxCosmos.Settings, TimeProvider.System, privacy.Fields);
        // A reader deployed before the migration finishes already serves the plaintext ones.
        Assert.Equal("9800000001", (await store.FindAsync(first, None))!.Value.Personal!.Mobile);
        var plan = ProfessionalPersonalFields.Plan with { Name = "test-" + Guid.NewGuid().ToString("N") };

        var firstRun = await privacy.Migration.RunAsync(plan, None, pageSize: 25);
        var afterFirst = (await RawAsync(first)).ToJsonString();
        var secondRun = await privacy.Migration.RunAsync(plan, None, pageSize: 25);
        // As if the checkpoint were lost: every document is visited again, and none changes.
        var fromScratch = await privacy.Migration.RunAsync(plan with { Name = plan.Name + "-again" }, None, pageSize: 25);

        Assert.True(firstRun.Completed);
        Assert.True(firstRun.Changed >= 2, $"changed {firstRun.Changed}");
        Assert.Equal(firstRun, secondRun);
        Assert.Equal(0, fromScratch.Changed);
        Assert.Equal(afterFirst, (await RawAsync(first)).ToJsonString());
        foreach (var (id, mobile, email) in new[] { (first, "9800000001", "first@example.in"), (second, "9800000002", "second@example.in") })
        {
            var raw = await RawAsync(id);
            Assert.DoesNotContain(mobile, raw.ToJsonString());
            Assert.DoesNotContain(email, raw.ToJsonString());
            Assert.True(FieldCipher.IsEnvelope(raw["personal"]!["email"]!.GetValue<string>()));
            var read = (await store.FindAsync(id, None))!.Value;
            Assert.Equal((mobile, email), (read.Personal!.Mobile, read.Personal.Email));
            Assert.Equal("Old Way Doctor", read.Name);
        }

        Assert.Equal(new DateOnly(1980, 1, 2), (await store.FindAsync(first, None))!.Value.Personal!.DateOfBirth);
        Assert.Null((await store.FindAsync(second, None))!.Value.Personal!.DateOfBirth);
    }

    [Fact]
    public async Task GivenAMigrationCutShort_WhenItRunsAgain_ThenItResumesAfterTheLastFinishedPage()
    {
        await WriteTheOldWayAsync("9800000003", "third@example.in", null);
        await WriteTheOldWayAsync("9800000004", "fourth@example.in", null);
        var plan = ProfessionalPersonalFields.Plan with { Name = "test-" + Guid.NewGuid().ToString("N") };

        var cut = await privacy.Migration.RunAsync(plan, None, pageSize: 1, maxPages: 1);
        var checkpoint = await privacy.Checkpoints.FindAsync("encrypt-fields:" + plan.Name, None);
        var resumed = await privacy.Migration.RunAsync(plan, None, pageSize: 50);

        Assert.Equal((1L, false), (cut.Visited, cut.Completed));
        Assert.NotNull(checkpoint!.Value.After);
        Assert.True(resumed.Completed);
        Assert.True(resumed.Visited > 1);
    }
}
