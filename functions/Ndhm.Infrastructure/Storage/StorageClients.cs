using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Storage;

/// <summary>
/// Storage clients for the app's own queues and blobs, connected the way the Functions host connects
/// AzureWebJobsStorage: a connection string in the sandbox, the managed identity and service URIs in Azure.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(IConfiguration configuration, TokenCredential? credential = null)
    {
        var connection = configuration.GetSetting(SettingNames.StorageConnection);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        queueOptions.Retry.MaxRetries = 2;
        var blobOptions = new BlobClientOptions();
        blobOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        blobOptions.Retry.MaxRetries = 2;
        if (!string.IsNullOrWhiteSpace(connection))
        {
            Queues = new QueueServiceClient(connection, queueOptions);
            Blobs = new BlobServiceClient(connection, blobOptions);
            return;
        }

        credential ??= AppCredentials.For(
            configuration.GetSetting(SettingNames.StorageClientId) ?? configuration.GetSetting(SettingNames.ManagedIdentityClientId));
        Queues = new QueueServiceClient(Required(configuration, SettingNames.StorageQueueServiceUri), credential, queueOptions);
        Blobs = new BlobServiceClient(Required(configuration, SettingNames.StorageBlobServiceUri), credential, blobOptions);
    }

    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    private static Uri Required(IConfiguration configuration, string settingName) =>
        Uri.TryCreate(configuration.GetSetting(settingName), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Setting {settingName} (or {SettingNames.StorageConnection}) is required.");
}
