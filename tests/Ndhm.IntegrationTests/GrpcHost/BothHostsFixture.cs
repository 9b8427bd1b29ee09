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
        var local = LocalHostProcess.StartAsync(kind: HostKind.Local);
        var grpc = LocalHostProcess.StartAsync(kind: HostKind.GrpcWorker);
        hosts[HostKind.Local] = await local;
        hosts[HostKind.GrpcWorker] = await grpc;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}
