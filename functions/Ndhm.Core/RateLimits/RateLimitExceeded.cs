using Ndhm.Core.Errors;

namespace Ndhm.Core.RateLimits;

public static class RateLimitExceeded
{
    /// <summary>
    /// 429 RATE_LIMITED with Retry-After. It names the policy and nothing about the key, so it reads the same
    /// whether the identifier asked about exists or not.
    /// </summary>
    public static DomainException For(RateLimitPolicy policy, RateLimitDecision decision)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new DomainException(ErrorKind.TooManyRequests, ErrorCodes.RateLimited, "Too many requests.",
            $"The {policy.Name} limit ({policy.Limit} per {(int)policy.Window.TotalSeconds} s) is used up; retry after {decision.RetryAfterSeconds} s.",
            new Dictionary<string, object?> { ["policy"] = policy.Name, ["retryAfterSeconds"] = decision.RetryAfterSeconds })
        {
            RetryAfterSeconds = decision.RetryAfterSeconds,
        };
    }
}
