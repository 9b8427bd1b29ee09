using Ndhm.LocalKeyVault;

// A local stand-in for the Azure Key Vault keys REST API (software keys), so the product's Key Vault client
// runs unchanged in the sandbox and in integration tests. See README.md.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var settings = LocalVaultSettings.From(builder.Configuration);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(new KeyStore(settings.DataDirectory));

var app = builder.Build();
var store = app.Services.GetRequiredService<KeyStore>();
foreach (var (name, kty, ops) in settings.InitialKeys)
{
    // Also on a data directory made before a key was added, so an existing sandbox gains it on restart.
    if (store.Exists(name)) continue;
    store.Create(name, StoredKeyVersion.Generate(kty, "P-256", 2048, ops, enabled: true, notBefore: null, expires: null));
}

app.Use(KeyRoutes.RequireBearerAndApiVersion);
KeyRoutes.Map(app);

app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
{
    // Answer one request before saying ready: the first one pays for JIT and endpoint compilation (seconds on
    // a busy machine), which would otherwise land on the first caller's short timeout.
    try
    {
        using var warmUp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        warmUp.DefaultRequestHeaders.Authorization = new("Bearer", settings.Token);
        var address = app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        await warmUp.GetAsync($"{address}/keys/{settings.InitialKeys[0].Name}?api-version=7.5");
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
    {
        Console.Error.WriteLine($"Warm-up request failed ({e.Message}); serving anyway.");
    }
    Console.Out.WriteLine($"Ndhm.LocalKeyVault ready on {string.Join(", ", app.Urls)} (data: {settings.DataDirectory}; keys: {string.Join(", ", settings.InitialKeys.Select(k => k.Name))})");
    Console.Out.Flush();
}));
app.Run();
