using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;

namespace Ndhm.Core.Security.Tokens;

/// <summary>What a refresh came to: the new tokens, or the verdict that refused it (Reuse: the family was revoked).</summary>
public sealed record RefreshOutcome<T>(RefreshVerdict Verdict, T? Issued, RefreshTokenValue? Next, RefreshFamily Family);

/// <summary>
/// Runs refresh-token rotation against a store: a new family per sign-in; for a refresh, the verdict of
/// <see cref="RefreshTokenRotation.Judge"/>, then either the access token is issued and the family rotated (If-Match;
/// of two refreshes racing with one token the loser re-reads, finds its token rotated away, and that is a reuse), or,
/// for a reuse, the whole family revoked. The caller maps every refusal to its one uniform error and records reuse.
/// </summary>
public sealed class RefreshTokenRotator(IRefreshFamilyStore store, TimeProvider time)
{
    public async Task<RefreshTokenValue> StartAsync(string owner, string binding, TimeSpan lifetime, CancellationToken ct)
    {
        var token = RefreshTokenValue.NewFamily();
        await store.CreateAsync(RefreshTokenRotation.Start(owner, binding, token, time.GetUtcNow(), lifetime), ct).ConfigureAwait(false);
        return token;
    }

    /// <param name="ownerValid">Whether the family's owner may still sign in (read from the family as stored).</param>
    /// <param name="issue">Issues what a good refresh gets besides the next refresh token (the access token), before the family is rotated.</param>
    public async Task<RefreshOutcome<T>> RefreshAsync<T>(Versioned<RefreshFamily> family, RefreshTokenValue presented, Func<RefreshFamily, bool> ownerValid,
        TimeSpan lifetime, Func<CancellationToken, Task<T>> issue, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(ownerValid);
        ArgumentNullException.ThrowIfNull(issue);
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            switch (RefreshTokenRotation.Judge(family.Value, presented, ownerValid(family.Value), now))
            {
                case RefreshVerdict.Rotate:
                    var issued = await issue(ct).ConfigureAwait(false);
                    var next = presented.Next();
                    try
                    {
                        var rotated = await store.ReplaceAsync(RefreshTokenRotation.Rotate(family.Value, next, now, lifetime), family.ETag, ct).ConfigureAwait(false);
                        return new RefreshOutcome<T>(RefreshVerdict.Rotate, issued, next, rotated.Value);
                    }
                    catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt == 0)
                    {
                        if (await store.ReloadAsync(family.Value, ct).ConfigureAwait(false) is not { } reloaded)
                            return new RefreshOutcome<T>(RefreshVerdict.Refuse, default, null, family.Value);
                        family = reloaded;
                        continue;
                    }
                case RefreshVerdict.Reuse:
                    return new RefreshOutcome<T>(RefreshVerdict.Reuse, default, null, await RevokeAsync(family, ct).ConfigureAwait(false));
                default:
                    return new RefreshOutcome<T>(RefreshVerdict.Refuse, default, null, family.Value);
            }
        }
    }

    /// <summary>Revokes the family (every outstanding token of that sign-in), also when it changed meanwhile.</summary>
    public async Task<RefreshFamily> RevokeAsync(Versioned<RefreshFamily> family, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(family);
        try
        {
            return (await store.ReplaceAsync(RefreshTokenRotation.Revoke(family.Value, time.GetUtcNow()), family.ETag, ct).ConfigureAwait(false)).Value;
        }
        catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate)
        {
            // Changed meanwhile (a rotation by the other holder): revoke what is there now.
            return await store.ReloadAsync(family.Value, ct).ConfigureAwait(false) is { } current
                ? (await store.ReplaceAsync(RefreshTokenRotation.Revoke(current.Value, time.GetUtcNow()), current.ETag, ct).ConfigureAwait(false)).Value
                : family.Value;
        }
    }
}
