using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Configuration;
using Ndhm.Core.Health;
using Ndhm.Core.Keys;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Encryption;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Keys;

public static class KeysServiceCollectionExtensions
{
    /// <summary>
    /// Key Vault keys (signing, wrapping and ABDM field encryption), the <c>keys</c> health probe, and the JWT issuer and validator.
    /// Settings are read when first resolved: <c>KeyVault__Uri</c>, <c>KeyVault__SigningKeyName</c>,
    /// <c>KeyVault__WrappingKeyName</c>, <c>Auth__Issuer</c>; optional <c>KeyVault__AbhaEncryptionKeyName</c>
    /// (default <c>ndhm-abha-encryption</c>), <c>KeyVault__LocalToken</c> (sandbox),
    /// <c>AZURE_CLIENT_ID</c>, <c>KeyVault__PublishedKeyVersions</c>, <c>KeyVault__KeyCacheSeconds</c>.
    /// </summary>
    public static IServiceCollection AddNdhmKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => KeyVaultOptions.FromConfiguration(configuration));
        services.TryAddSingleton(sp => KeyVaultKeysClient.Create(sp.GetRequiredService<KeyVaultOptions>()));
        services.TryAddSingleton<KeyVaultSigningKeys>();
        services.TryAddSingleton<ISigningKeys>(sp => sp.GetRequiredService<KeyVaultSigningKeys>());
        services.TryAddSingleton<IKeyWrapper, KeyVaultKeyWrapper>();
        services.TryAddSingleton<IAbhaEncryptionKey, KeyVaultAbhaEncryptionKey>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyProbe, KeysProbe>());
        services.TryAddSingleton(_ => new TokenOptions
        {
            Issuer = configuration.GetSetting(SettingNames.TokenIssuer)
                ?? throw new InvalidOperationException($"Setting {SettingNames.TokenIssuer} is required to issue and validate tokens."),
        });
        services.TryAddSingleton<JwtIssuer>();
        services.TryAddSingleton<JwtValidator>();
        return services;
    }
}
