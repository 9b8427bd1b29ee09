using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.RateLimits;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.RateLimits;

/// <summary>
/// Fixed-window counters in the <c>rate-limits</c> container, shared by every instance of the app. One counter
/// document per policy, key and window (id = pk, so each is its own logical partition and hot keys never
/// contend with each other), incremented with Cosmos' atomic patch <c>incr</c>: one round trip per check and no
/// ETag retry loop, however many instances count the same key at once. The document expires (its own
/// <c>ttl</c>) a minute after its window ends. Keys are stored only as a SHA-256 hash: an ABHA number, a client
/// id or an IP address never lands in the container.
/// <para>
/// Once a key is refused, this instance remembers "refused until the window ends" and answers later attempts
/// without a round trip (an abusive caller costs no request units); the shared count still decides everything
/// else, so a second instance refuses as soon as the count it increments is over the limit.
/// </para>
/// </summary>
public sealed class CosmosRateLimiter(CosmosClient client, CosmosSettings settings, TimeProvider clock) : IRateLimiter
{
    private static readonly IReadOnlyList<PatchOperation> Increment = [PatchOperation.Increment("/count", 1)];
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.RateLimits.Name);
    private readonly ConcurrentDictionary<string, DateTimeOffset> refusedUntil = new(StringComparer.Ordinal);

    public async Task<RateLimitDecision> TryAcquireAsync(RateLimitPolicy policy, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(key);
        var now = clock.GetUtcNow();
        var id = CounterId(policy, key, now);
        if (refusedUntil.TryGetValue(id, out var until))
        {
            if (until > now)
                return RateLimitDecision.Refuse(0, until - now);
            refusedUntil.TryRemove(id, out _);
        }

        var count = await IncrementAsync(policy, id, now, ct).ConfigureAwait(false);
        var decision = policy.Decide(count, now);
        if (!decision.Allowed)
        {
            refusedUntil[id] = policy.WindowEnd(now);
            ForgetEndedWindows(now);
        }

        return decision;
    }

    /// <summary>The counter's id: policy, hash of the key, window start (Unix seconds). Also its partition key.</summary>
    public static string CounterId(RateLimitPolicy policy, string key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(policy.Name + "\n" + key));
        return string.Create(CultureInfo.InvariantCulture,
            $"{policy.Name}-{Convert.ToHexStringLower(hash.AsSpan(0, 16))}-{policy.WindowStart(now).ToUnixTimeSeconds()}");
    }

    private async Task<long> IncrementAsync(RateLimitPolicy policy, string id, DateTimeOffset now, CancellationToken ct)
    {
        var pk = new PartitionKey(id);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var patched = await container.PatchItemAsync<RateLimitCounter>(id, pk, Increment, cancellationToken: ct).ConfigureAwait(false);
                return patched.Resource.Count;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // First attempt of this window: create the counter at 1.
            }

            try
            {
                var counter = new RateLimitCounter(id, id, policy.Name, policy.WindowStart(now).ToUnixTimeSeconds(), 1,
                    (int)policy.Window.TotalSeconds + 60);
                await container.CreateItemAsync(counter, pk, new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct)
                    .ConfigureAwait(false);
                return 1;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict && attempt == 0)
            {
                // Another instance created it first: increment that one.
            }
        }
    }

    private void ForgetEndedWindows(DateTimeOffset now)
    {
        if (refusedUntil.Count < 1024)
            return;
        foreach (var (id, until) in refusedUntil)
        {
            if (until <= now)
                refusedUntil.TryRemove(id, out _);
        }
    }
}

/// <summary>One window's count for one policy and key (hashed into the id).</summary>
public sealed record RateLimitCounter(string Id, string Pk, string Policy, long WindowStart, long Count, int Ttl);
