using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.Cosmos;

[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosClientFactoryTests(CosmosEmulatorFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Settings_FromEmulatorConfiguration_UseKeyGatewayAndAcceptAnyCertificate()
    {
        var settings = CosmosSettings.FromConfiguration(CosmosEmulatorFixture.EmulatorConfiguration(fixture.Emulator.Endpoint));
        var options = CosmosClientFactory.CreateOptions(settings);

        Assert.NotNull(settings.Key);
        Assert.Equal(ConnectionMode.Gateway, options.ConnectionMode);
        Assert.True(options.LimitToEndpoint);
        Assert.NotNull(options.HttpClientFactory);
    }

    [Fact]
    public async Task Initializer_CreatesEveryCatalogContainer_AndCanRunTwice()
    {
        var databaseName = $"init-{Guid.NewGuid():N}";
        var initializer = new CosmosDatabaseInitializer(fixture.Client, databaseName);

        await initializer.InitializeAsync();
        var database = await initializer.InitializeAsync();

        foreach (var spec in CosmosContainers.All)
        {
            var properties = (await database.GetContainer(spec.Name).ReadContainerAsync()).Resource;
            Assert.Equal(CosmosContainers.PartitionKeyPath, properties.PartitionKeyPath);
            Assert.Equal(spec.DefaultTtlSeconds, properties.DefaultTimeToLive);
        }
    }

    [Fact]
    public async Task Responses_KeepTheConnectionAlive()
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        };
        using var http = new HttpClient(handler) { BaseAddress = fixture.Emulator.Endpoint };

        using var first = await http.GetAsync(new Uri("/", UriKind.Relative));
        using var missing = await http.GetAsync(new Uri("/dbs/nope/colls/nope/docs/nope", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(true, first.Headers.ConnectionClose);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.NotEqual(true, missing.Headers.ConnectionClose);
    }

    [Fact]
    public async Task RequestToAnEndpointWithNothingListening_FailsWithinSeconds()
    {
        var deadEndpoint = new Uri($"https://127.0.0.1:{UnusedPort()}/");
        using var client = CosmosEmulatorFixture.CreateClient(deadEndpoint);
        var container = client.GetContainer("db", "items");
        var clock = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(() => container.ReadItemAsync<TestItem>("a", new PartitionKey("p1")));
        output.WriteLine($"failed after {clock.ElapsedMilliseconds} ms with {error?.GetType().Name}");

        Assert.NotNull(error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
