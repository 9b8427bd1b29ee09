using System.Diagnostics;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Faults;

/// <summary>
/// A sandbox of its own for the fault suite: Azurite, the Cosmos emulator and the local Key Vault started by
/// <c>local-emulators/sandbox.sh</c> on free ports with a state directory of their own (never the developer's
/// sandbox, never the emulators other tests share), so the suite may stop and restart each piece by its recorded PID
/// (<c>sandbox.sh stop-one NAME</c>, <c>sandbox.sh up NAME</c>) while a flow runs.
/// </summary>
public sealed class FaultSandbox : IAsyncDisposable
{
    public static readonly string[] Emulators = ["azurite", "cosmos", "keyvault"];

    private readonly Dictionary<string, string> environment;

    private FaultSandbox(string stateDirectory, Dictionary<string, string> environment)
    {
        StateDirectory = stateDirectory;
        this.environment = environment;
    }

    public string StateDirectory { get; }

    private int Port(string name) => int.Parse(environment[name], System.Globalization.CultureInfo.InvariantCulture);

    public string StorageConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{Port("NDHM_AZURITE_BLOB_PORT")}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{Port("NDHM_AZURITE_QUEUE_PORT")}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{Port("NDHM_AZURITE_TABLE_PORT")}/devstoreaccount1;";

    public string CosmosEndpoint => $"https://127.0.0.1:{Port("NDHM_COSMOS_PORT")}/";

    public string KeyVaultUri => $"http://127.0.0.1:{Port("NDHM_KEYVAULT_PORT")}/";

    /// <summary>The settings that point a local host at this sandbox instead of the shared emulators.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = StorageConnectionString,
        ["Cosmos__Endpoint"] = CosmosEndpoint,
        ["KeyVault__Uri"] = KeyVaultUri,
    };

    public static async Task<FaultSandbox> StartAsync()
    {
        var state = Path.Combine(SandboxEndpoints.RepoRoot, ".test-sandbox", $"faults-{TestRun.Id}-{Environment.ProcessId}");
        Directory.CreateDirectory(state);
        var environment = new Dictionary<string, string>
        {
            ["NDHM_SANDBOX_DIR"] = state,
            ["NDHM_AZURITE_BLOB_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NDHM_AZURITE_QUEUE_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NDHM_AZURITE_TABLE_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NDHM_COSMOS_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NDHM_KEYVAULT_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NDHM_HOST_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NDHM_SAMPLE_PARTNERS_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var sandbox = new FaultSandbox(state, environment);
        await sandbox.SandboxAsync("up");
        return sandbox;
    }

    /// <summary>Stops one emulator (SIGTERM, then SIGKILL after 5 s, as <c>sandbox.sh</c> does) by its recorded PID.</summary>
    public Task StopAsync(string emulator) => SandboxAsync("stop-one", emulator);

    /// <summary>Starts one emulator again on the same port and data, and waits until it answers.</summary>
    public Task StartAsync(string emulator) => SandboxAsync("up", emulator);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SandboxAsync("down");
        }
        finally
        {
            try
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still being flushed by a dying emulator: test.sh removes stale state directories.
            }
        }
    }

    private async Task SandboxAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(SandboxEndpoints.RepoRoot, "local-emulators", "sandbox.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) info.Environment[name] = value;
#if DEBUG
        info.Environment["NDHM_CONFIGURATION"] = "Debug";
#else
        info.Environment["NDHM_CONFIGURATION"] = "Release";
#endif
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sandbox.sh {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }
}
