using Microsoft.Azure.Cosmos;
using Ndhm.Core.Health;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>Cosmos answers when the platform's database can be read.</summary>
public sealed class CosmosProbe(CosmosClient client, CosmosSettings settings, TimeProvider time) : IDependencyProbe
{
    public string Name => "cosmos";

    public async Task<ProbeResult> CheckAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await client.GetDatabase(settings.Database).ReadAsync(cancellationToken: ct);
        return new ProbeResult(Name, true, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }
}
