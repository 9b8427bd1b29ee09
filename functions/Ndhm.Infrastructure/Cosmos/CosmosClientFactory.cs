using System.Net;
using System.Net.Security;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Json;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>
/// Builds the one <see cref="CosmosClient"/> of the process (it is thread-safe and meant to be a singleton).
/// Documents are (de)serialized with the platform's System.Text.Json options, like every other payload.
/// </summary>
public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = CreateOptions(settings);
        return settings.Key is { } key
            ? new CosmosClient(settings.Endpoint.AbsoluteUri, key, options)
            : new CosmosClient(
                settings.Endpoint.AbsoluteUri,
                AppCredentials.For(settings.ManagedIdentityClientId),
                options);
    }

    public static CosmosClientOptions CreateOptions(CosmosSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new CosmosClientOptions
        {
            UseSystemTextJsonSerializerWithOptions = NdhmJson.Options,
            ApplicationName = "ndhm-functions",
            RequestTimeout = settings.RequestTimeout,
            // Throttling retries are the SDK's business, but bounded: a caller must get an answer in seconds.
            MaxRetryAttemptsOnRateLimitedRequests = 3,
            MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(5),
        };

        if (!settings.AcceptAnyCertificate)
        {
            options.OpenTcpConnectionTimeout = settings.ConnectTimeout; // Direct mode (Azure) only
        }
        else
        {
            // The local emulator: one gateway endpoint, no regions to discover, and a self-signed certificate.
            options.ConnectionMode = ConnectionMode.Gateway;
            options.LimitToEndpoint = true;
            options.EnableTcpConnectionEndpointRediscovery = false;
            // The SDK probes the Azure VM metadata endpoint (169.254.169.254) for telemetry; locally that is a
            // multi-second wait for nothing.
            if (Environment.GetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS") is null)
            {
                Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
            }
        }

        // Our own handler so that connecting to a dead endpoint fails after ConnectTimeout rather than the OS
        // default (minutes for a black-holed address). Gateway traffic in Azure goes through it too.
        options.HttpClientFactory = () => new HttpClient(CreateHandler(settings), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // the SDK applies its own per-request timeouts
        };
        return options;
    }

    private static SocketsHttpHandler CreateHandler(CosmosSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follow DNS changes in Azure
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 50,
        };
        if (settings.AcceptAnyCertificate)
        {
            // Emulator only (the setting is never set in Azure): its certificate is self-signed.
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            };
        }

        return handler;
    }
}
