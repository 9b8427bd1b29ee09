using System.Globalization;
using Microsoft.Extensions.Configuration;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Keys;

/// <summary>Where the keys live and how the client talks to the vault.</summary>
public sealed record KeyVaultOptions
{
    /// <summary>The vault, e.g. <c>https://ndhm-prod.vault.azure.net/</c>, or the sandbox endpoint.</summary>
    public required Uri VaultUri { get; init; }
    public required string SigningKeyName { get; init; }
    public required string WrappingKeyName { get; init; }
    /// <summary>The RSA-2048 key of ABDM field encryption (<c>loginId</c>, <c>otpValue</c>).</summary>
    public string AbhaEncryptionKeyName { get; init; } = DefaultAbhaEncryptionKeyName;
    public const string DefaultAbhaEncryptionKeyName = "ndhm-abha-encryption";

    /// <summary>Sandbox only: a static bearer token instead of a managed identity.</summary>
    public string? LocalToken { get; init; }
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>How many signing key versions are published (current plus previous ones).</summary>
    public int PublishedKeyVersions { get; init; } = 2;
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>An unknown kid forces a refresh at most this often, so forged kids cannot flood the vault.</summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>While the vault is down, cached public keys keep serving validation for this long.</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; init; } = 2;
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public string ApiVersion { get; init; } = "7.5";

    public static KeyVaultOptions FromConfiguration(IConfiguration configuration)
    {
        var uri = configuration.GetSetting(SettingNames.KeyVaultUri) ?? throw Missing(SettingNames.KeyVaultUri);
        return new KeyVaultOptions
        {
            VaultUri = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed
                : throw new InvalidOperationException($"Setting {SettingNames.KeyVaultUri} is not an absolute URI."),
            SigningKeyName = configuration.GetSetting(SettingNames.KeyVaultSigningKeyName) ?? throw Missing(SettingNames.KeyVaultSigningKeyName),
            WrappingKeyName = configuration.GetSetting(SettingNames.KeyVaultWrappingKeyName) ?? throw Missing(SettingNames.KeyVaultWrappingKeyName),
            AbhaEncryptionKeyName = configuration.GetSetting(SettingNames.KeyVaultAbhaEncryptionKeyName) ?? DefaultAbhaEncryptionKeyName,
            LocalToken = configuration.GetSetting(SettingNames.KeyVaultLocalToken),
            ManagedIdentityClientId = configuration.GetSetting(SettingNames.ManagedIdentityClientId),
            PublishedKeyVersions = configuration.GetSetting(SettingNames.KeyVaultPublishedKeyVersions) is { } n
                ? Math.Max(1, int.Parse(n, CultureInfo.InvariantCulture)) : 2,
            KeyCacheDuration = configuration.GetSetting(SettingNames.KeyVaultKeyCacheSeconds) is { } s
                ? TimeSpan.FromSeconds(Math.Max(0, int.Parse(s, CultureInfo.InvariantCulture))) : TimeSpan.FromSeconds(60),
        };
    }

    private static InvalidOperationException Missing(string name) => new($"Setting {name} is required for Key Vault keys.");
}
