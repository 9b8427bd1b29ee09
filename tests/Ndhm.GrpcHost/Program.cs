using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Ndhm.GrpcHost;
using Ndhm.GrpcHost.Durable;
using Yarp.ReverseProxy.Forwarder;

// A minimal Azure Functions host for tests (see README.md): a gRPC server the built worker connects to, the host's
// start-up conversation with it, and an HTTP front door that forwards to the worker as the real host does.
var settings = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var appDirectory = Path.GetFullPath(settings["app"] ?? DefaultAppDirectory());
var urls = settings["urls"] ?? "http://127.0.0.1:7072";

// DTFx logs every poll and lease renewal at Information.
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information)
    .AddFilter("DurableTask", LogLevel.Warning));
var logger = loggerFactory.CreateLogger("Ndhm.GrpcHost");

// 1. The gRPC endpoint (HTTP/2 without TLS, loopback), on a port of its own.
var grpcPort = FreePort();
var grpcBuilder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
grpcBuilder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning);
grpcBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2));
grpcBuilder.Services.AddGrpc(o =>
{
    o.MaxReceiveMessageSize = WorkerProcess.GrpcMaxMessageLength;
    o.MaxSendMessageSize = WorkerProcess.GrpcMaxMessageLength;
});
grpcBuilder.Services.AddSingleton<WorkerChannel>();

// Durable (as the host's Durable extension): a task hub in AzureWebJobsStorage, and the TaskHubSidecarService the
// worker's [DurableClient] calls on the same gRPC endpoint. Without a storage connection there is no Durable host.
var durableSettings = DurableHostSettings.Read(appDirectory);
using var taskHub = durableSettings is null ? null : new HarnessTaskHub(durableSettings, loggerFactory);
if (taskHub is not null)
{
    await taskHub.EnsureCreatedAsync();
    grpcBuilder.Services.AddSingleton(taskHub);
}

var grpcApp = grpcBuilder.Build();
grpcApp.MapGrpcService<FunctionRpcService>();
if (taskHub is not null)
{
    grpcApp.MapGrpcService<TaskHubSidecar>();
}

await grpcApp.StartAsync();
var channel = grpcApp.Services.GetRequiredService<WorkerChannel>();

// 2. The worker, started as the host starts it; it opens its stream, then the start-up conversation.
await using var worker = WorkerProcess.Start(appDirectory, grpcPort, logger);
channel.ExpectedWorkerId = worker.WorkerId;
await channel.Started.WaitAsync(TimeSpan.FromSeconds(120));
var session = await WorkerSession.StartAsync(channel, appDirectory, logger);

// 3. The front door: HTTP-triggered functions under host.json's route prefix, and the admin invoke API.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning);
builder.WebHost.UseUrls(urls);
// The Functions host accepts request bodies up to 100 MB (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT); the app enforces its own.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 104_857_600);
builder.Services.AddHttpForwarder();
builder.Services.AddSingleton(channel);
builder.Services.AddSingleton(session);
builder.Services.AddSingleton<Invocations>();
builder.Services.AddSingleton(taskHub is null
    ? new DurableClientBinding(null)
    : DurableClientBinding.For(taskHub.Settings.HubName, new Uri($"http://127.0.0.1:{grpcPort}"),
        new Uri(new Uri(urls.Split(';')[0]), "runtime/webhooks/durabletask"), WorkerProcess.GrpcMaxMessageLength));
var app = builder.Build();
var routePrefix = RoutePrefix(appDirectory);
var byName = session.Functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
foreach (var function in session.Functions.Where(f => f.IsHttp))
{
    var route = string.Join('/', new[] { routePrefix, function.HttpRoute }.Where(s => s.Length > 0));
    app.MapMethods("/" + route, function.HttpMethods,
        (HttpContext http, Invocations invocations) => invocations.InvokeHttpAsync(http, function));
}

// The host's admin API shape for invoking a non-HTTP function; the harness waits for the outcome and reports it
// (the real host answers 202 at once). Loopback only, no master key: a test harness, never deployed.
app.MapPost("/admin/functions/{name}", async (string name, HttpContext http, Invocations invocations) =>
{
    if (!byName.TryGetValue(name, out var function) || function.IsHttp)
    {
        return Results.NotFound();
    }

    var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
    var input = body?["input"]?.GetValue<string>() ?? "";
    var dequeueCount = body?["dequeueCount"]?.GetValue<int>() ?? 1;
    var response = await invocations.InvokeQueueAsync(function, input, dequeueCount, http.RequestAborted);
    return Results.Json(new
    {
        invocationId = response.InvocationId,
        status = response.Result.Status.ToString(),
        exception = response.Result.Exception?.Message,
    }, statusCode: StatusCodes.Status202Accepted);
});
app.MapGet("/admin/host/status", () => Results.Json(new
{
    state = "Running",
    version = WorkerSession.HostVersion,
    functions = session.Functions.Select(f => new { f.Name, trigger = f.TriggerType }),
}));

DurableDispatcher? durable = null;
if (taskHub is not null)
{
    durable = new DurableDispatcher(taskHub, session, app.Services.GetRequiredService<Invocations>(), loggerFactory);
    await durable.StartAsync();
}

app.Lifetime.ApplicationStopping.Register(() =>
{
    // Durable first, while the worker still answers: in-flight work items finish and the partition leases are
    // released for the next host; what does not finish is abandoned to storage and retried, never failed.
    try
    {
        durable?.StopAsync().Wait(TimeSpan.FromSeconds(30));
    }
    catch (AggregateException e)
    {
        logger.LogWarning(e.InnerException, "The Durable worker did not stop cleanly; unfinished steps will be retried.");
    }

    // As the host does on shutdown: ask the worker to stop, then give it a grace period.
    _ = channel.PostAsync(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
});
_ = channel.Closed.ContinueWith(_ => app.Lifetime.StopApplication(), TaskScheduler.Default);

logger.LogInformation("gRPC functions host: worker on {Grpc}, {Count} HTTP functions under /{Prefix} on {Urls}",
    grpcPort, session.Functions.Count(f => f.IsHttp), routePrefix, urls);
await app.RunAsync();
await worker.StopAsync(TimeSpan.FromSeconds(5));
await grpcApp.StopAsync();

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string RoutePrefix(string appDirectory)
{
    var hostJson = Path.Combine(appDirectory, "host.json");
    var prefix = File.Exists(hostJson) ? JsonNode.Parse(File.ReadAllText(hostJson))?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() : null;
    return (prefix ?? "api").Trim('/');
}

// The built function app next to this harness in the repository (same configuration).
static string DefaultAppDirectory()
{
    var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
    var root = AppContext.BaseDirectory;
    while (!File.Exists(Path.Combine(root, "NdhmFunctions.sln")))
    {
        root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("Repository root not found; pass --app <dir>.");
    }

    return Path.Combine(root, "functions", "Ndhm.Functions", "bin", configuration, "net10.0");
}
