using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.GrpcHost;

/// <summary>
/// The local host and the gRPC-hosted worker (the built function app as Azure runs it), side by side on the same
/// test-run data, so one test case can be sent to either.
/// </summary>
public sealed class BothHostsFixture : IAsyncLifetime
{
    private readonly Dictionary<HostKind, LocalHostProcess> hosts = [];

    public LocalHostProcess this[HostKind kind] => hosts[kind];

    public async Task InitializeAsync()
    {
        // One after the other: three .NET processes warming up at once on a shared machine miss the start-up deadline.
        hosts[HostKind.Local] = await LocalHostProcess.StartAsync(kind: HostKind.Local);
        hosts[HostKind.GrpcWorker] = await LocalHostProcess.StartAsync(kind: HostKind.GrpcWorker);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}
