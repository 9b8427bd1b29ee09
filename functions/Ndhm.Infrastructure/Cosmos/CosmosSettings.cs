using Microsoft.Extensions.Configuration;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>
/// How to reach Cosmos DB. In Azure only the endpoint and database are set and the app authenticates with
/// its managed identity; locally the emulator also gets the well-known key and accepts its self-signed cert.
/// </summary>
public sealed record CosmosSettings
{
    public required Uri Endpoint { get; init; }
    public required string Database { get; init; }

    /// <summary>Account key: emulator only. Null means Microsoft Entra ID (DefaultAzureCredential).</summary>
    public string? Key { get; init; }

    /// <summary>Emulator only: Gateway mode, no endpoint discovery, any server certificate accepted.</summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>Client id of the user-assigned managed identity, when there is one.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>Upper bound for one network request; a dead endpoint fails within a small multiple of it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>TCP connect timeout; a refused or black-holed endpoint fails fast instead of hanging.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public static CosmosSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoint = configuration.GetSetting(SettingNames.CosmosEndpoint)
            ?? throw new InvalidOperationException($"Setting {SettingNames.CosmosEndpoint} is missing.");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri))
        {
            throw new InvalidOperationException($"Setting {SettingNames.CosmosEndpoint} is not an absolute URI.");
        }

        return new CosmosSettings
        {
            Endpoint = endpointUri,
            Database = configuration.GetSetting(SettingNames.CosmosDatabase)
                ?? throw new InvalidOperationException($"Setting {SettingNames.CosmosDatabase} is missing."),
            Key = configuration.GetSetting(SettingNames.CosmosKey),
            AcceptAnyCertificate = bool.TryParse(configuration.GetSetting(SettingNames.CosmosAcceptAnyCertificate), out var accept) && accept,
            ManagedIdentityClientId = configuration.GetSetting(SettingNames.ManagedIdentityClientId),
        };
    }
}
