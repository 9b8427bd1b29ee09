using Ndhm.Core.Privacy;
using Ndhm.LocalHost.Durable;
using Ndhm.LocalHost.Functions;
using Ndhm.LocalHost.Hosting;
using Ndhm.LocalHost.Http;
using Ndhm.LocalHost.Queues;
using Ndhm.LocalHost.Timers;
using Ndhm.Triggers;
using Ndhm.Triggers.Hosting;

// The local functions host: runs the function app's own [Function] classes (from Ndhm.Triggers) where Azure
// Functions Core Tools are not installed. Same DI (AddNdhmPlatform), same host.json, same local.settings.json.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddInMemoryCollection(LocalSettings.Load(Path.Combine(AppContext.BaseDirectory, "local.settings.json")));
builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddCommandLine(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:7071");
builder.WebHost.ConfigureKestrel(o =>
{
    o.Limits.MaxRequestLineSize = RequestLineLimit.KestrelRequestLineBytes;
    KestrelRejectionProblems.Use(o);
});
builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
// The hosting scope carries the raw request path into every line logged during a request, and a path may name a
// patient (/v3/verification/abha/{ABHA number}): it is dropped, and the path goes in scope with ABHA numbers masked.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
builder.Host.UseDefaultServiceProvider(o =>
{
    o.ValidateOnBuild = true;
    o.ValidateScopes = true;
});

var hostJson = HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));

var functions = FunctionCatalog.Functions;
var runners = new TriggerRunners();

builder.Services.AddNdhmPlatform(builder.Configuration);
builder.Services.AddLocalHttpTriggers(functions, runners);
builder.Services.AddLocalDurableTask(builder.Configuration, hostJson, functions, runners);
builder.Services.AddLocalQueueTriggers(builder.Configuration, hostJson, functions, runners);
builder.Services.AddLocalTimerTriggers(builder.Configuration, functions, runners);
runners.EnsureAllClaimed(functions);

var app = builder.Build();
FunctionActivation.EnsureConstructible(app.Services, functions);
RequestLineLimit.Use(app);
UnroutedRequests.Use(app);
app.Use(async (http, next) =>
{
    using var scope = app.Logger.BeginScope(new Dictionary<string, object>
    {
        ["RequestPath"] = AbhaNumberMask.MaskWithin(http.Request.Path.Value + http.Request.QueryString.Value),
    });
    await next(http);
});
app.MapHttpFunctions(functions, hostJson);
app.Logger.LogInformation("Local functions host: {Count} functions, route prefix /{Prefix}", functions.Count, hostJson.RoutePrefix);
app.Run();
