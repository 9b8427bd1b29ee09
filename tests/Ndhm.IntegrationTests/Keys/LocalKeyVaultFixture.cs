using Ndhm.Infrastructure.Keys;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Keys;

/// <summary>One local Key Vault process shared by the key tests (they run one at a time, in one collection).</summary>
public sealed class LocalKeyVaultFixture : IAsyncLifetime
{
    public LocalKeyVaultProcess Vault { get; private set; } = null!;

    public async Task InitializeAsync() => Vault = await LocalKeyVaultProcess.StartAsync();

    public async Task DisposeAsync() => await Vault.DisposeAsync();

    /// <summary>Options as the sandbox sets them; no caching, so each test sees the vault as it is now.</summary>
    public KeyVaultOptions Options(string signingKey = "ndhm-signing", string? token = LocalKeyVaultProcess.Token, LocalKeyVaultProcess? vault = null) => new()
    {
        VaultUri = (vault ?? Vault).BaseUri,
        SigningKeyName = signingKey,
        WrappingKeyName = "ndhm-wrapping",
        LocalToken = token,
        KeyCacheDuration = TimeSpan.Zero,
        MinRefreshInterval = TimeSpan.Zero,
        MaxStaleness = TimeSpan.Zero,
        // Generous: the test machine is shared and can be heavily loaded; the product keeps its 5 s default.
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

    public KeyVaultKeysClient Client(KeyVaultOptions? options = null) => KeyVaultKeysClient.Create(options ?? Options());
}

[CollectionDefinition(Name)]
public sealed class LocalKeyVaultCollection : ICollectionFixture<LocalKeyVaultFixture>
{
    public const string Name = "local-key-vault";
}
