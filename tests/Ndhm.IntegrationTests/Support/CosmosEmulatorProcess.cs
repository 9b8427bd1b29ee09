using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// Runs <c>node local-emulators/cosmos/server.js</c> on a free port with its own data directory, for one
/// test class or collection. <see cref="RestartAsync"/> stops it gracefully (SIGTERM, so it flushes) and
/// starts it again on the same port and data directory.
/// </summary>
public sealed class CosmosEmulatorProcess : IAsyncDisposable
{
    /// <summary>The well-known emulator key (public; it only opens local emulators).</summary>
    public const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(5);

    private readonly string _serverScript;
    private readonly bool _ownsDataDirectory;
    private Process? _process;
    private readonly StringBuilder _output = new();

    private CosmosEmulatorProcess(string serverScript, int port, string dataDirectory, bool ownsDataDirectory)
    {
        _serverScript = serverScript;
        Port = port;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    public int Port { get; }
    public string DataDirectory { get; }
    public Uri Endpoint => new($"https://127.0.0.1:{Port}/");

    /// <summary>What the emulator printed so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>
    /// Starts an emulator on the first free port of <paramref name="firstPort"/>..<paramref name="lastPort"/>
    /// with a fresh temporary data directory (or <paramref name="dataDirectory"/>).
    /// </summary>
    public static async Task<CosmosEmulatorProcess> StartAsync(
        int firstPort = 18081, int lastPort = 18089, string? dataDirectory = null)
    {
        var emulators = Path.Combine(RepositoryRoot.Find(), "local-emulators");
        EnsurePackagesInstalled(emulators);

        var owns = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("ndhm-cosmos-").FullName;
        var script = Path.Combine(emulators, "cosmos", "server.js");
        Exception? last = null;
        try
        {
            for (var port = firstPort; port <= lastPort; port++)
            {
                if (!IsFree(port))
                {
                    continue;
                }

                var emulator = new CosmosEmulatorProcess(script, port, dataDirectory, owns);
                try
                {
                    await emulator.StartProcessAsync();
                    return emulator;
                }
                catch (InvalidOperationException e) when (e.Message.Contains("already in use", StringComparison.Ordinal))
                {
                    last = e; // another test took the port between our check and node's bind: try the next one
                }
            }
        }
        catch when (owns)
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }

        if (owns)
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        throw new InvalidOperationException($"No free port in {firstPort}-{lastPort} for the Cosmos emulator.", last);
    }

    /// <summary>Fails (never skips) when <c>npm ci</c> has not been run: a silent skip would hide every Cosmos test.</summary>
    public static void EnsurePackagesInstalled(string localEmulatorsDirectory)
    {
        if (!Directory.Exists(Path.Combine(localEmulatorsDirectory, "node_modules", "@vercel", "cosmosdb-server")))
        {
            throw new InvalidOperationException(
                $"The Cosmos emulator's npm packages are not installed: run `npm ci` in {localEmulatorsDirectory} first.");
        }
    }

    /// <summary>Kills the emulator without letting it flush (a crash), then starts it on the same data.</summary>
    public async Task CrashAndRestartAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }

        await StartProcessAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    /// <summary>Stops the emulator: SIGTERM (it flushes its data), then a kill after a grace period.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited && !OperatingSystem.IsWindows())
            {
                _ = SendSignal(process.Id, Sigterm);
                using var grace = new CancellationTokenSource(StopGracePeriod);
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    // ignored SIGTERM: killed below
                }
            }

            if (!process.HasExited)
            {
                // Windows has no SIGTERM: the emulator's debounced writes (<= 2 s) are what persist there.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temp folder left behind is harmless
            }
        }
    }

    private async Task StartProcessAsync()
    {
        var startInfo = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { _serverScript, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--host", "127.0.0.1", "--data-dir", DataDirectory })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            Append(e.Data);
            if (e.Data.StartsWith("cosmos emulator listening on", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) Append(e.Data);
        };
        process.Exited += (_, _) => _ = Task.Run(() =>
        {
            process.WaitForExit(); // lets the output readers reach end of stream, so Output is complete
            ready.TrySetException(new InvalidOperationException(
                $"The Cosmos emulator exited before it was ready:{Environment.NewLine}{Output}"));
        });

        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start node.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await StopAsync();
            throw new InvalidOperationException($"The Cosmos emulator was not ready within {StartTimeout}:{Environment.NewLine}{Output}");
        }
        catch (InvalidOperationException)
        {
            _process = null;
            process.Dispose();
            throw;
        }
    }

    private void Append(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
