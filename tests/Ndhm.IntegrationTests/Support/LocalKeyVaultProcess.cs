using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// Runs the built LocalKeyVault (local-emulators/Ndhm.LocalKeyVault) as a real process on a free port in
/// 18443-18449 with its own temporary data directory, and can stop and restart it on the same port and data.
/// </summary>
public sealed class LocalKeyVaultProcess : IAsyncDisposable
{
    public const string Token = "sandbox";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    private LocalKeyVaultProcess(int port, string dataDirectory)
    {
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }
    public string DataDirectory { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>What the process printed, for assertion messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<LocalKeyVaultProcess> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ndhm-lkv-" + Guid.NewGuid().ToString("N"));
        // Another test class may have taken a port between the probe and the bind: try the next one.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var vault = new LocalKeyVaultProcess(FreePort(), dataDirectory);
            try
            {
                await vault.StartProcessAsync();
                return vault;
            }
            catch (InvalidOperationException) when (attempt < 2)
            {
                await vault.StopAsync();
            }
        }
        throw new InvalidOperationException("Could not start the local Key Vault.");
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartProcessAsync();
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var dll = DllPath();
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build local-emulators/Ndhm.LocalKeyVault first; {dll} is missing.", dll);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", BaseUri.ToString().TrimEnd('/'), "--data-dir", DataDirectory, "--token", Token })
            start.ArgumentList.Add(arg);

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, null);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The local Key Vault exited early:\n{Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        try
        {
            await ready.Task.WaitAsync(ReadyTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The local Key Vault was not ready within {ReadyTimeout.TotalSeconds} s:\n{Output}");
        }
    }

    private void OnLine(string? line, TaskCompletionSource? ready)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (ready is not null && line.Contains(" ready on ", StringComparison.Ordinal)) ready.TrySetResult();
    }

    private static int FreePort()
    {
        for (var port = 18443; port <= 18449; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("No free port in 18443-18449.");
    }

    private static string DllPath()
    {
        var configuration = typeof(LocalKeyVaultProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(Support.RepositoryRoot.Find(), "local-emulators", "Ndhm.LocalKeyVault", "bin", configuration, "net10.0", "Ndhm.LocalKeyVault.dll");
    }

}
