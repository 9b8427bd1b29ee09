using Ndhm.Core.RateLimits;
using Ndhm.HealthId.Identity;

namespace Ndhm.HealthId.Otp;

/// <summary>
/// Abuse limits per target of an OTP, whoever asks (the HTTP gate limits per caller; a botnet has many callers but
/// one victim): OTPs requested for one ABHA number or address, mobile or Aadhaar number
/// (<see cref="RateLimitPolicies.OtpRequestTarget"/>), and codes tried against the transactions of one target
/// (<see cref="RateLimitPolicies.OtpVerificationTarget"/>). Keys are the kind and a keyed hash (<c>abha:</c>,
/// <c>mobile:</c>, <c>aadhaar:</c>, and <c>target:</c> + the transaction's target hash for verification), never the
/// identifier. Counted before anything is looked up, so a known and an unknown identifier count alike and a refusal
/// (429 RATE_LIMITED with Retry-After) says nothing about either.
/// </summary>
public sealed class OtpTargetLimits(IRateLimiter limiter, RateLimitPolicies policies, IIdentityHasher hasher)
{
    public async Task CountRequestAsync(MobileNumber mobile, CancellationToken ct) =>
        await CountAsync(RateLimitPolicies.OtpRequestTarget, "mobile:" + await hasher.HashMobileAsync(mobile, ct).ConfigureAwait(false), ct)
            .ConfigureAwait(false);

    public async Task CountRequestAsync(AadhaarNumber aadhaar, CancellationToken ct) =>
        await CountAsync(RateLimitPolicies.OtpRequestTarget, "aadhaar:" + await hasher.HashAadhaarAsync(aadhaar, ct).ConfigureAwait(false), ct)
            .ConfigureAwait(false);

    /// <param name="canonicalIdentifier">The 14 digits or the lower-case address (<c>AbhaAccountLookup.Canonical</c>).</param>
    public async Task CountAbhaRequestAsync(string canonicalIdentifier, CancellationToken ct) =>
        await CountAsync(RateLimitPolicies.OtpRequestTarget,
            "abha:" + await hasher.HashAbhaIdentifierAsync(canonicalIdentifier, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>One code tried against <paramref name="transaction"/>'s target (its keyed target hash).</summary>
    public Task CountVerificationAsync(OtpTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return CountAsync(RateLimitPolicies.OtpVerificationTarget, "target:" + transaction.TargetHash, ct);
    }

    private async Task CountAsync(string policyName, string key, CancellationToken ct)
    {
        var policy = policies[policyName];
        var decision = await limiter.TryAcquireAsync(policy, key, ct).ConfigureAwait(false);
        if (!decision.Allowed)
            throw RateLimitExceeded.For(policy, decision);
    }
}
