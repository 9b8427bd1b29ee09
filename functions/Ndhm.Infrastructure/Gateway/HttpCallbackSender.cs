using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Callbacks;
using Ndhm.Core.Abdm;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// One POST to a partner bridge, ABDM style: REQUEST-ID (new per attempt), TIMESTAMP, X-CM-ID, the delivery's
/// own headers (X-HIP-ID / X-HIU-ID) and a bearer token the platform issues to itself with the partner as
/// audience (cached per partner for half its lifetime: one Key Vault signature, not one per attempt).
/// </summary>
public sealed class HttpCallbackSender(HttpClient http, JwtIssuer issuer, GatewayOptions options, TimeProvider time) : ICallbackSender
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, IssuedToken> tokens = new(StringComparer.Ordinal);

    public async Task<DeliveryAttempt> SendAsync(Delivery delivery, Uri bridgeUrl, int attemptNumber, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var at = time.GetUtcNow();
        try
        {
            var token = await TokenAsync(delivery.PartnerId, ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, Combine(bridgeUrl, delivery.Path));
            request.Headers.TryAddWithoutValidation("REQUEST-ID", Guid.NewGuid().ToString());
            request.Headers.TryAddWithoutValidation("TIMESTAMP", AbdmTimestamp.Of(time.GetUtcNow()));
            request.Headers.TryAddWithoutValidation("X-CM-ID", options.CmId);
            foreach (var (name, value) in delivery.Headers)
            {
                // A delivery's own header replaces the default of the same name (an ABDM message's REQUEST-ID is its
                // body's requestId), never adds a second value.
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.CallbackTimeout);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return new DeliveryAttempt(attemptNumber, at, Elapsed(started), code, Delivery.Classify(code), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryAttempt(attemptNumber, at, Elapsed(started), null, AttemptOutcome.RetryableFailure, "timeout");
        }
        catch (HttpRequestException e)
        {
            return new DeliveryAttempt(attemptNumber, at, Elapsed(started), null, AttemptOutcome.RetryableFailure,
                "connection failed: " + (e.HttpRequestError.ToString()));
        }
    }

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    private async Task<string> TokenAsync(string partnerId, CancellationToken ct)
    {
        if (tokens.TryGetValue(partnerId, out var cached) && cached.ExpiresAt - time.GetUtcNow() > TokenLifetime / 2)
        {
            return cached.Token;
        }

        var issued = await issuer.IssueAsync(new TokenRequest(GatewayOptions.PlatformSubject, partnerId, ["GATEWAY"], TokenLifetime), ct);
        tokens[partnerId] = issued;
        return issued.Token;
    }

    public static Uri Combine(Uri bridge, string path) =>
        new(bridge.AbsoluteUri.TrimEnd('/') + "/" + path.TrimStart('/'));

    /// <summary>The HttpClient deliveries use: no automatic redirects (a bridge must answer itself), pooled connections.</summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }) { Timeout = Timeout.InfiniteTimeSpan };
}
