using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ndhm.GrpcHost;

/// <summary>
/// Starts the function app's worker the way the Functions host does for <c>dotnet-isolated</c>: the executable and
/// assembly named by the app's <c>worker.config.json</c>, the host's command-line arguments (the legacy
/// <c>--host/--port/--workerId/--requestId/--grpcMaxMessageLength</c> and the <c>--functions-*</c> ones the worker
/// reads), and the app settings as environment variables (here: this process's environment, then the app's
/// local.settings.json <c>Values</c> for any not set, as Core Tools does).
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    public const int GrpcMaxMessageLength = int.MaxValue;

    private readonly Process process;

    private WorkerProcess(Process process, string workerId)
    {
        this.process = process;
        WorkerId = workerId;
    }

    public string WorkerId { get; }

    public bool HasExited => process.HasExited;

    public static WorkerProcess Start(string appDirectory, int grpcPort, ILogger logger)
    {
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(appDirectory, "worker.config.json")))?["description"]
            ?? throw new InvalidOperationException("worker.config.json has no description.");
        var executable = description["defaultExecutablePath"]?.GetValue<string>() ?? "dotnet";
        var workerPath = Path.Combine(appDirectory, description["defaultWorkerPath"]?.GetValue<string>()
            ?? throw new InvalidOperationException("worker.config.json names no defaultWorkerPath."));
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = appDirectory,
        };
        var uri = $"http://127.0.0.1:{grpcPort}/";
        foreach (var argument in new[]
                 {
                     workerPath,
                     "--host", "127.0.0.1", "--port", grpcPort.ToString(), "--workerId", workerId, "--requestId", requestId,
                     "--grpcMaxMessageLength", GrpcMaxMessageLength.ToString(),
                     "--functions-uri", uri, "--functions-worker-id", workerId, "--functions-request-id", requestId,
                     "--functions-grpc-max-message-length", GrpcMaxMessageLength.ToString(),
                 })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in LocalSettingsValues(appDirectory))
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        info.Environment["AzureWebJobsScriptRoot"] = appDirectory;
        info.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        info.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        // The worker's own Kestrel (ASP.NET Core integration) picks its port; nothing of the harness's leaks in.
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("urls");

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Relay(logger, e.Data);
        process.ErrorDataReceived += (_, e) => Relay(logger, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        logger.LogInformation("Worker started: {Executable} {Assembly} (pid {Pid}, worker id {WorkerId})", executable, workerPath, process.Id, workerId);
        return new WorkerProcess(process, workerId);
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        process.Dispose();
    }

    /// <summary>An app setting as the worker sees it: this process's environment, else local.settings.json.</summary>
    public static string? AppSetting(string appDirectory, string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? LocalSettingsValues(appDirectory).Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    private static IEnumerable<(string Name, string Value)> LocalSettingsValues(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "local.settings.json");
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var (name, value) in JsonNode.Parse(File.ReadAllText(path))?["Values"]?.AsObject() ?? [])
        {
            if (value is not null)
            {
                yield return (name, value.ToString());
            }
        }
    }

    private static void Relay(ILogger logger, string? line)
    {
        if (line is not null)
        {
            Console.Out.WriteLine("[worker] " + line);
        }
    }
}
