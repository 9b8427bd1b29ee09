using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Keys;
using Ndhm.IntegrationTests.Support;
using Ndhm.Privacy;

namespace Ndhm.IntegrationTests.Privacy;

/// <summary>
/// Wrapping-key rotation against a LocalKeyVault process of its own (a fresh wrapping key per test, so the sandbox's
/// key is never rotated under other tests) and the sandbox's Cosmos.
/// </summary>
[Collection(LocalKeyVaultCollection.Name)]
public sealed class KeyRotationTests(LocalKeyVaultFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => PrivacyServicesForTest.EnsureSandboxDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<(PrivacyServicesForTest Privacy, string WrappingKey)> PrivacyWithOwnWrappingKeyAsync()
    {
        var name = "wrap-" + Guid.NewGuid().ToString("N")[..10];
        await fixture.Client().CreateKeyAsync(name, "RSA", keySize: 2048, ct: None);
        var options = fixture.Options() with { WrappingKeyName = name };
        return (new PrivacyServicesForTest(SandboxCosmos.Client, SandboxCosmos.Settings, options), name);
    }

    private static async Task<JsonNode> RawKeyAsync(DataKeyScope scope)
    {
        using var response = await SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.DataKeys.Name)
            .ReadItemStreamAsync(scope.Value, new PartitionKey(scope.Value));
        response.EnsureSuccessStatusCode();
        return (await JsonNode.ParseAsync(response.Content))!;
    }

    [Fact]
    public async Task GivenDataKeysUnderAnOldWrappingVersion_WhenTheKeyRotates_ThenOldRecordsStillDecrypt_AndTheJobRewrapsThemWithoutReencrypting()
    {
        var (privacy, wrappingKey) = await PrivacyWithOwnWrappingKeyAsync();
        var oldVersion = (await fixture.Client().GetKeyAsync(wrappingKey, null, None)).KeyId;
        var stored = new Dictionary<DataKeyScope, string>();
        for (var i = 0; i < 3; i++)
        {
            var scope = DataKeyScope.Patient("rot-" + Guid.NewGuid().ToString("N")[..12]);
            stored[scope] = await privacy.Fields.EncryptAsync(scope, "doc-" + i, "name", "Patient " + i, None);
        }

        var newVersion = (await fixture.Client().CreateKeyAsync(wrappingKey, "RSA", keySize: 2048, ct: None)).KeyId;
        var beforeRewrap = new PrivacyServicesForTest(SandboxCosmos.Client, SandboxCosmos.Settings, fixture.Options() with { WrappingKeyName = wrappingKey });
        foreach (var (scope, envelope) in stored)
        {
            Assert.Equal(oldVersion, (await RawKeyAsync(scope))["wrapped"]!["keyId"]!.GetValue<string>());
            Assert.StartsWith("Patient ", await beforeRewrap.Fields.DecryptAsync(scope, "doc-" + stored.Keys.ToList().IndexOf(scope), "name", envelope, None));
        }

        // The data-keys container is shared with other tests' subjects, wrapped under the sandbox's own key, which this
        // vault cannot unwrap: the job counts those as failed and moves on.
        var report = await privacy.Rewrap.RunAsync(None, pageSize: 50);
        var again = await privacy.Rewrap.RunAsync(None, pageSize: 50);

        Assert.True(report.Completed);
        Assert.Equal(3, report.Changed);
        Assert.Equal(report, again);
        var afterRewrap = new PrivacyServicesForTest(SandboxCosmos.Client, SandboxCosmos.Settings, fixture.Options() with { WrappingKeyName = wrappingKey });
        var index = 0;
        foreach (var (scope, envelope) in stored)
        {
            var raw = await RawKeyAsync(scope);
            Assert.Equal(newVersion, raw["wrapped"]!["keyId"]!.GetValue<string>());
            Assert.NotNull(raw["rewrappedAt"]);
            Assert.Equal("Patient " + index, await afterRewrap.Fields.DecryptAsync(scope, "doc-" + index, "name", envelope, None));
            index++;
        }
    }
}
