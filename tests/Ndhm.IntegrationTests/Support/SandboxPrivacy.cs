using Microsoft.Azure.Cosmos;
using Ndhm.Core.Keys;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Keys;
using Ndhm.Infrastructure.Privacy;
using Ndhm.Privacy;

namespace Ndhm.IntegrationTests.Support;

/// <summary>The privacy services as AddPrivacy wires them, over a Cosmos database and a Key Vault wrapping key.</summary>
public sealed class PrivacyServicesForTest
{
    public PrivacyServicesForTest(CosmosClient client, CosmosSettings settings, KeyVaultOptions vault, PrivacyOptions? options = null)
    {
        Wrapper = new KeyVaultKeyWrapper(KeyVaultKeysClient.Create(vault), vault, TimeProvider.System);
        Store = new CosmosDataKeyStore(client, settings);
        Checkpoints = new CosmosRunCheckpoints(client, settings);
        Cache = new DataKeyCache(options ?? new PrivacyOptions(), TimeProvider.System);
        Ring = new DataKeyRing(Store, Wrapper, Cache, TimeProvider.System);
        Fields = new FieldCipher(Ring);
        Blobs = new EncryptedBlobs(new StreamCipher(Ring));
        Rewrap = new DataKeyRewrapJob(Store, Ring, Wrapper, Checkpoints, TimeProvider.System);
        Migration = new CosmosFieldEncryptionMigration(client, settings, new PlaintextFieldEncryptor(Fields), Checkpoints, TimeProvider.System);
    }

    public IKeyWrapper Wrapper { get; }
    public CosmosDataKeyStore Store { get; }
    public CosmosRunCheckpoints Checkpoints { get; }
    public DataKeyCache Cache { get; }
    public DataKeyRing Ring { get; }
    public FieldCipher Fields { get; }
    public EncryptedBlobs Blobs { get; }
    public DataKeyRewrapJob Rewrap { get; }
    public CosmosFieldEncryptionMigration Migration { get; }

    private static readonly Lazy<Task> SandboxDatabase = new(() => new CosmosDatabaseInitializer(SandboxCosmos.Client, SandboxCosmos.Settings.Database).InitializeAsync());

    /// <summary>The sandbox database with every container of the catalog (the host creates them too, but may not have started yet).</summary>
    public static Task EnsureSandboxDatabaseAsync() => SandboxDatabase.Value;

    /// <summary>Over the sandbox's Cosmos database and the sandbox Key Vault's wrapping key, as the host uses them.</summary>
    public static PrivacyServicesForTest Sandbox() => new(SandboxCosmos.Client, SandboxCosmos.Settings, SandboxKeyVault);

    /// <summary>The sandbox Key Vault with the host's signing and wrapping key names.</summary>
    public static KeyVaultOptions SandboxKeyVault => new()
    {
        VaultUri = new Uri(SandboxEndpoints.KeyVaultUri),
        SigningKeyName = "ndhm-signing",
        WrappingKeyName = "ndhm-wrapping",
        LocalToken = LocalKeyVaultProcess.Token,
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };
}
