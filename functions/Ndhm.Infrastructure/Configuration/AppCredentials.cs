using System.Collections.Concurrent;
using Azure.Identity;

namespace Ndhm.Infrastructure.Configuration;

/// <summary>
/// The app's Azure identity: one <see cref="DefaultAzureCredential"/> per managed identity client id for the whole
/// process, so every adapter (Cosmos, Storage, Key Vault, Service Bus, Resource Manager) shares its token cache
/// instead of each acquiring the same tokens again.
/// </summary>
public static class AppCredentials
{
    private static readonly ConcurrentDictionary<string, DefaultAzureCredential> ByClientId = new(StringComparer.Ordinal);

    /// <param name="managedIdentityClientId">The user-assigned identity (AZURE_CLIENT_ID); null for the default chain.</param>
    public static DefaultAzureCredential For(string? managedIdentityClientId) =>
        ByClientId.GetOrAdd(managedIdentityClientId ?? "", id => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = id.Length == 0 ? null : id,
        }));
}
