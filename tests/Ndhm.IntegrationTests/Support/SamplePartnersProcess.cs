using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// The sample partners (local-emulators/Ndhm.SamplePartners) as a real process on a free port against a test's
/// host: they register themselves over the host's HTTP API (client ids with a prefix of their own, so several
/// test classes on one run's database never share a partner) and answer the platform as partners would.
/// </summary>
public sealed class SamplePartnersProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);
    private readonly ChildProcess process;

    private SamplePartnersProcess(ChildProcess process, int port, string prefix)
    {
        this.process = process;
        Port = port;
        ClientPrefix = prefix;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public string ClientPrefix { get; }

    public HttpClient Client { get; }

    public string Output => process.Output;

    public static string Dll => Path.Combine(SandboxEndpoints.RepoRoot, "local-emulators", "Ndhm.SamplePartners", "bin", Configuration, "net10.0",
        "Ndhm.SamplePartners.dll");

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static async Task<SamplePartnersProcess> StartAsync(LocalHostProcess host, params string[] extraArgs)
    {
        if (!File.Exists(Dll)) throw new InvalidOperationException($"The sample partners are not built ({Dll}); run local-emulators/test.sh.");
        var port = FreePort.Next();
        var prefix = "sp" + Guid.NewGuid().ToString("N")[..6] + "-";
        var child = ChildProcess.Start("dotnet", [Dll, "--urls", $"http://127.0.0.1:{port}", "--platform", $"http://localhost:{host.Port}", "--client-prefix", prefix, .. extraArgs],
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" });
        var partners = new SamplePartnersProcess(child, port, prefix);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (!child.Output.Contains("Ndhm.SamplePartners ready on", StringComparison.Ordinal))
        {
            if (child.HasExited || DateTime.UtcNow > deadline)
            {
                await partners.DisposeAsync();
                throw new InvalidOperationException($"The sample partners did not become ready:\n{child.Tail()}");
            }

            await Task.Delay(200);
        }

        return partners;
    }

    /// <summary>A sample partner as the process describes it (clientId, facilityId, bridgeUrl, requesterHprId).</summary>
    public async Task<JsonElement> PartnerAsync(string name)
    {
        var all = await Client.GetFromJsonAsync<JsonElement>("partners");
        return all.GetProperty("partners").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> holds (bounded), returning the last answer.</summary>
    public async Task<JsonElement> UntilAsync(string path, Func<JsonElement, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(45));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(path);
            if (done(last)) return last;
            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} never reached the expected state: {last}\n{process.Tail()}");
    }

    /// <summary>Inbox entries of one partner at a path suffix, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> InboxAsync(string partner, string path, string direction) =>
        (await GetAsync($"inbox?partner={partner}&path={Uri.EscapeDataString(path)}&direction={direction}&max=500"))
        .GetProperty("entries").EnumerateArray().ToList();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await process.DisposeAsync();
    }
}
