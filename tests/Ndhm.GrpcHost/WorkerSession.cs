using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Ndhm.GrpcHost;

/// <summary>
/// The host's start-up conversation with a worker that has opened its stream, in the host's order:
/// WorkerInitRequest (the worker answers with its capabilities, <c>HttpUri</c> among them for ASP.NET Core
/// integration), FunctionsMetadataRequest (worker indexing: the worker answers with its generated function
/// metadata), then one FunctionLoadRequest per function.
/// </summary>
public sealed class WorkerSession
{
    public const string HostVersion = "4.1037.0";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private WorkerSession(IReadOnlyDictionary<string, string> capabilities, IReadOnlyList<LoadedFunction> functions)
    {
        Capabilities = capabilities;
        Functions = functions;
    }

    public IReadOnlyDictionary<string, string> Capabilities { get; }

    public IReadOnlyList<LoadedFunction> Functions { get; }

    /// <summary>The worker's own HTTP endpoint, where the host forwards HTTP-triggered requests.</summary>
    public Uri? HttpUri => Capabilities.TryGetValue("HttpUri", out var uri) && uri.Length > 0 ? new Uri(uri) : null;

    public static async Task<WorkerSession> StartAsync(WorkerChannel channel, string appDirectory, ILogger logger)
    {
        var init = await channel.SendAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                WorkerDirectory = appDirectory,
                FunctionAppDirectory = appDirectory,
            },
        }, StartupTimeout);
        var initResponse = init.WorkerInitResponse ?? throw Unexpected("WorkerInitResponse", init);
        EnsureSuccess("WorkerInit", initResponse.Result);
        var capabilities = initResponse.Capabilities.ToDictionary(c => c.Key, c => c.Value);
        logger.LogInformation("Worker {Version} initialised; capabilities: {Capabilities}", initResponse.WorkerVersion,
            string.Join(", ", capabilities.Keys.Order()));

        var metadata = await channel.SendAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        }, StartupTimeout);
        var metadataResponse = metadata.FunctionMetadataResponse ?? throw Unexpected("FunctionMetadataResponse", metadata);
        EnsureSuccess("FunctionsMetadata", metadataResponse.Result);
        if (metadataResponse.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked for host indexing (function.json files); this harness does worker indexing only.");
        }

        var loads = metadataResponse.FunctionMetadataResults.Select(async m =>
        {
            var id = string.IsNullOrEmpty(m.FunctionId) ? Guid.NewGuid().ToString() : m.FunctionId;
            var load = await channel.SendAsync(new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = id, Metadata = m },
            }, StartupTimeout);
            EnsureSuccess($"FunctionLoad {m.Name}", (load.FunctionLoadResponse ?? throw Unexpected("FunctionLoadResponse", load)).Result);
            return LoadedFunction.From(id, m);
        });
        var functions = await Task.WhenAll(loads);
        logger.LogInformation("Worker indexed and loaded {Count} functions ({Http} HTTP)", functions.Length, functions.Count(f => f.IsHttp));
        return new WorkerSession(capabilities, functions);
    }

    private static void EnsureSuccess(string step, StatusResult? result)
    {
        if (result is null || result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed: {result?.Status} {result?.Exception?.Message}\n{result?.Exception?.StackTrace}");
        }
    }

    private static InvalidOperationException Unexpected(string expected, StreamingMessage got) =>
        new($"Expected {expected} from the worker, got {got.ContentCase}.");
}
