using Ndhm.Consent;
using Ndhm.Core.Keys;

namespace Ndhm.DataTransfer.Partners.Hiu;

/// <summary>
/// Verifies the platform's push token (<see cref="PushTokens"/>) offline against the platform JWKS: signed by a key
/// of the set, typed <see cref="PushTokens.Type"/>, for this transaction, not expired. Its <c>hipId</c> is the pusher.
/// </summary>
public sealed class SignedPushTokenAuthenticator(Func<CancellationToken, Task<IReadOnlyList<PublicJsonWebKey>>> jwks, TimeProvider time) : IPushAuthenticator
{
    public async Task<string?> AuthenticateAsync(string? bearerToken, string transactionId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(bearerToken)) return null;
        var payload = ConsentSignatures.Verify(bearerToken.Trim(), await jwks(ct), PushTokens.Type);
        if (payload is not { } claims) return null;
        if (!claims.TryGetProperty("transactionId", out var tx) || tx.GetString() != transactionId) return null;
        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var seconds) || DateTimeOffset.FromUnixTimeSeconds(seconds) <= time.GetUtcNow())
            return null;
        return claims.TryGetProperty("hipId", out var hip) ? hip.GetString() : null;
    }
}
