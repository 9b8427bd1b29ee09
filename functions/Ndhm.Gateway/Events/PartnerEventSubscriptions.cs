using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Gateway.Events;

/// <summary>
/// A partner's own event stream, made when the partner is registered and removed when it is deactivated: a Service Bus
/// subscription filtered on its id in Azure, a Storage queue of its own in the sandbox. Both calls are idempotent, so
/// a registration or deactivation retried after a failure completes what the failed attempt began.
/// </summary>
public interface IPartnerEventSubscriptions
{
    Task EnsureAsync(string partnerId, CancellationToken ct);

    Task RemoveAsync(string partnerId, CancellationToken ct);
}

/// <summary>
/// Names of a partner's stream, derived from its client id alone so every instance and every retry finds the same
/// entity. Client ids are case-sensitive (3-64 of <c>[A-Za-z0-9_.-]</c>) while Service Bus names are not and Storage
/// queue names are lower-case: a short hash of the exact client id keeps two ids that differ only in case (or in
/// <c>_</c> versus <c>.</c>) apart, and the readable prefix tells an operator whose stream it is.
/// </summary>
public static class PartnerStreamNames
{
    /// <summary>The application property the publisher sets and the subscription filters on.</summary>
    public const string FilterProperty = "partnerId";

    /// <summary>The rule that carries the partner's filter (the catch-all <c>$Default</c> rule is removed).</summary>
    public const string RuleName = "partner";

    public const string DefaultRuleName = "$Default";
    public const string QueuePrefix = "partner-events-";

    /// <summary>Service Bus: 1-50 letters, digits, '.', '-', '_', starting and ending with a letter or digit.</summary>
    public const int MaxSubscriptionNameLength = 50;

    /// <summary>Storage queues: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public const int MaxQueueNameLength = 63;

    private const int HashLength = 8;

    public static string Subscription(string partnerId)
    {
        var readable = new string(partnerId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray())
            .TrimStart('.', '-', '_');
        readable = readable[..Math.Min(readable.Length, MaxSubscriptionNameLength - HashLength - 1)];
        return (readable.Length > 0 ? readable + "-" : "") + Hash(partnerId);
    }

    public static string Queue(string partnerId)
    {
        var folded = new StringBuilder(partnerId.Length);
        foreach (var c in partnerId.ToLowerInvariant())
        {
            var mapped = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (mapped != '-' || (folded.Length > 0 && folded[^1] != '-'))
            {
                folded.Append(mapped);
            }
        }

        var readable = folded.ToString()[..Math.Min(folded.Length, MaxQueueNameLength - QueuePrefix.Length - HashLength - 1)].Trim('-');
        return QueuePrefix + (readable.Length > 0 ? readable + "-" : "") + Hash(partnerId);
    }

    /// <summary>The SQL filter of the partner's subscription; quotes are doubled, as SQL-92 string literals require.</summary>
    public static string SqlFilter(string partnerId) => $"{FilterProperty} = '{partnerId.Replace("'", "''", StringComparison.Ordinal)}'";

    private static string Hash(string partnerId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partnerId)))[..HashLength];
}
