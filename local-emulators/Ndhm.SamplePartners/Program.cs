using Ndhm.SamplePartners;

// Sample partners that behave like real ones: a hospital HIP, a lab HIP, a clinic HIU, a pharmacy and a teleconsultation clinic, each with
// its own client credentials, talking to the platform only over HTTP. See README.md.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Ndhm.SamplePartners", LogLevel.Information);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.DefaultIgnoreCondition = SampleJson.Options.DefaultIgnoreCondition;
});

var urls = (builder.Configuration["urls"] ?? "http://127.0.0.1:7080").Split(';', StringSplitOptions.RemoveEmptyEntries);
var settings = SamplePartnerSettings.From(builder.Configuration, urls);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<Inbox>();
builder.Services.AddHttpClient<PlatformClient>(c => c.Timeout = TimeSpan.FromSeconds(30));
builder.Services.AddSingleton(sp => new SamplePartnerSet(settings, sp.GetRequiredService<PlatformClient>(), sp.GetRequiredService<Inbox>()));
builder.Services.AddSingleton<Registration>();

var app = builder.Build();
var set = app.Services.GetRequiredService<SamplePartnerSet>();

// A desk body read by hand (optional notes, a cancel reason) that is not JSON is the caller's mistake: 400, not 500.
app.Use(async (context, next) =>
{
    try
    {
        await next(context);
    }
    catch (System.Text.Json.JsonException e) when (!context.Response.HasStarted)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new { error = "the body is not valid JSON: " + e.Message });
    }
});

TeleclinicEndpoints.Map(app, set.Teleclinic);
BridgeEndpoints.Map(app, set);

// Register with the platform once listening (the platform may call a bridge as soon as it knows it), then say ready.
app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
{
    var registration = app.Services.GetRequiredService<Registration>();
    var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
    while (true)
    {
        try
        {
            await registration.RegisterAsync(set, app.Lifetime.ApplicationStopping);
            break;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && DateTimeOffset.UtcNow < deadline)
        {
            // The platform may still be starting (or its Cosmos still coming up): try again.
            Console.Error.WriteLine($"Registering with {settings.Platform} failed ({e.Message}); retrying.");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Registering with {settings.Platform} failed: {e}");
            app.Lifetime.StopApplication();
            return;
        }
    }

    set.Ready = true;
    Console.Out.WriteLine($"Ndhm.SamplePartners ready on {string.Join(", ", app.Urls)} (platform {settings.Platform}; "
        + string.Join(", ", set.All.Select(p => $"{p.ClientId} {p.FacilityId}")) + ")");
    Console.Out.Flush();
}));
app.Run();
