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
foreach (var (name, kty) in settings.InitialKeys)
{
    if (store.Exists(name)) continue;
    var ops = kty == "EC" ? KeyRoutes.SigningOps : KeyRoutes.AllRsaOps;
    store.Create(name, StoredKeyVersion.Generate(kty, "P-256", 2048, ops, enabled: true, notBefore: null, expires: null));
}

app.Use(KeyRoutes.RequireBearerAndApiVersion);
KeyRoutes.Map(app);

app.Lifetime.ApplicationStarted.Register(() =>
{
    Console.Out.WriteLine($"Ndhm.LocalKeyVault ready on {string.Join(", ", app.Urls)} (data: {settings.DataDirectory}; keys: {string.Join(", ", settings.InitialKeys.Select(k => k.Name))})");
    Console.Out.Flush();
});
app.Run();
