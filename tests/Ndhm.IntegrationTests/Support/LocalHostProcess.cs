using System.Net.Http.Json;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// The project's local functions host, run as a real child process on a free port against the sandbox's
/// emulators (or others a test names), so tests drive the real HTTP surface and can kill and restart it. It
/// keeps its data in the test run's own Cosmos database, task hub, queues and timer host id
/// (<see cref="TestRun"/>), never in the developer's sandbox data on the same emulators. With
/// <see cref="HostKind.GrpcWorker"/> the same settings go to the gRPC functions host harness (tests/Ndhm.GrpcHost),
/// which starts the built function app's worker as Azure does and forwards HTTP to it.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string?> environment;
    private ChildProcess? process;

    private LocalHostProcess(int port, Dictionary<string, string?> environment, HostKind kind)
    {
        Port = port;
        Kind = kind;
        this.environment = environment;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HostKind Kind { get; }

    public HttpClient Client { get; }

    public string Output => process?.Output ?? "";

    public static string HostDll => Path.Combine(SandboxEndpoints.RepoRoot, "local-emulators", "Ndhm.LocalHost", "bin",
        Configuration, "net10.0", "Ndhm.LocalHost.dll");

    public static string GrpcHostDll => Path.Combine(SandboxEndpoints.RepoRoot, "tests", "Ndhm.GrpcHost", "bin",
        Configuration, "net10.0", "Ndhm.GrpcHost.dll");

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <param name="overrides">App settings to change for this host (e.g. another Cosmos endpoint), by app-setting name.</param>
    /// <param name="kind">The local host (default) or the gRPC host harness running the built worker.</param>
    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null, string? taskHub = null,
        HostKind kind = HostKind.Local)
    {
        var dll = kind == HostKind.Local ? HostDll : GrpcHostDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The {kind} host is not built ({dll}); run local-emulators/test.sh.");
        }

        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = SandboxEndpoints.StorageConnectionString,
            ["Cosmos__Endpoint"] = SandboxEndpoints.CosmosEndpoint,
            ["Cosmos__Database"] = TestRun.CosmosDatabase,
            ["LocalHost__HostId"] = TestRun.HostId,
            ["KeyVault__Uri"] = SandboxEndpoints.KeyVaultUri,
            // Test hosts share one Azurite: each takes only its own callback attempts (and their settings).
            ["Gateway__CallbackQueue"] = TestRun.NewQueue("cb"),
            ["Phr__BlobContainer"] = TestRun.PhrContainer,
            ["Pharmacy__OrderQueue"] = TestRun.NewQueue("rx"),
            ["Auth__Issuer"] = $"http://localhost:{port}/api",
            ["Platform__PublicBaseUrl"] = $"http://localhost:{port}",
            ["COSMOS_DISABLE_IMDS_ACCESS"] = "true",
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        // Hosts started by tests never share a task hub with each other or with a developer's sandbox host,
        // or one would run the other's orchestrations.
        environment["AzureFunctionsJobHost__extensions__durableTask__hubName"] = taskHub ?? TestRun.NewTaskHub();
        // Tests send many requests from one address and share the run's counters: abuse limits are raised out of the
        // way here, and the tests about them (RateLimitTests) set their own.
        foreach (var policy in Ndhm.Core.RateLimits.RateLimitPolicies.Defaults)
        {
            environment[Ndhm.Core.Configuration.SettingNames.RateLimitLimit(policy.Name)] = "1000000";
        }

        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        TestRunResources.Used();
        var host = new LocalHostProcess(port, environment, kind);
        await host.StartProcessAsync();
        return host;
    }

    /// <summary>Kills the host like a crash would (no graceful shutdown).</summary>
    public Task KillAsync() => process?.KillAsync() ?? Task.CompletedTask;

    public async Task RestartAsync()
    {
        await KillAsync();
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        Client.Dispose();
    }

    private async Task StartProcessAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        process = ChildProcess.Start("dotnet", [Kind == HostKind.Local ? HostDll : GrpcHostDll, "--urls", $"http://127.0.0.1:{Port}"], environment);
        // Generous: on a loaded machine a start has taken over a minute, and the gRPC harness starts a second process
        // (the worker) and indexes and loads every function first.
        const int startup = 240;
        var deadline = DateTime.UtcNow.AddSeconds(startup);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The {Kind} host exited during start-up:\n" + process.Tail());
            }

            try
            {
                using var response = await Client.GetAsync("api/openapi.json");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
            }

            if (DateTime.UtcNow > deadline)
            {
                // Stop it (and, for the harness, its worker) so a failed start leaves no process behind.
                var tail = process.Tail();
                await process.DisposeAsync();
                process = null;
                throw new TimeoutException($"The {Kind} host did not answer within {startup} s:\n" + tail);
            }

            await Task.Delay(200);
        }
    }
}
