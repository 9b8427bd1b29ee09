using Ndhm.Core.Health;

namespace Ndhm.Infrastructure.Storage;

/// <summary>Storage answers when the queue service returns its properties.</summary>
public sealed class StorageProbe(StorageClients storage, TimeProvider time) : IDependencyProbe
{
    public string Name => "storage";

    public async Task<ProbeResult> CheckAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await storage.Queues.GetPropertiesAsync(ct);
        return new ProbeResult(Name, true, (long)time.GetElapsedTime(started).TotalMilliseconds);
    }
}
