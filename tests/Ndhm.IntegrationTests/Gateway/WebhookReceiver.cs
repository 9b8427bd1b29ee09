using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>A partner bridge on a free loopback port: answers with the statuses it is scripted with and records every request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Func<int, int> statusForCall;
    private int calls;

    public sealed record Received(string Path, int Status, IReadOnlyDictionary<string, string> Headers, JsonElement Body);

    private WebhookReceiver(Func<int, int> statusForCall)
    {
        this.statusForCall = statusForCall;
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl);
        app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var n = Interlocked.Increment(ref calls);
            var status = this.statusForCall(n);
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            Requests.Enqueue(new Received(http.Request.Path, status,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.RootElement.Clone()));
            return Results.StatusCode(status);
        });
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <param name="statusForCall">Status to answer for the n-th call (1-based).</param>
    public static async Task<WebhookReceiver> StartAsync(Func<int, int> statusForCall)
    {
        var receiver = new WebhookReceiver(statusForCall);
        await receiver.app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
