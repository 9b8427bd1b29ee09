using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Accounts;

/// <summary>
/// Finds accounts by number or address. A lookup by number reads the account (one point read). A lookup by address
/// for verification reads only the address claim, which carries the holder's <see cref="AbhaLookupView"/> (one
/// point read); <see cref="FindAsync"/>, for flows that need the whole account (login), reads the claim and then
/// the account (two).
/// </summary>
public sealed class AbhaAccountLookup(IAbhaAccountStore accounts, IIdentityClaims claims, AbhaAddressOptions addressOptions)
{
    public async Task<Versioned<AbhaAccount>?> FindAsync(string numberOrAddress, CancellationToken ct)
    {
        var key = numberOrAddress.Trim();
        if (IsAddress(key))
        {
            var claim = await claims.FindAddressClaimAsync(AbhaAddress.Parse(key, addressOptions.Suffix), ct).ConfigureAwait(false);
            return claim is null ? null : await accounts.FindAsync(claim.Holder, ct).ConfigureAwait(false);
        }

        return await accounts.FindAsync(AbhaNumber.Parse(key), ct).ConfigureAwait(false);
    }

    /// <summary>What a verifier may see of the account with this number or address, or null when there is none.</summary>
    public async Task<AbhaLookupView?> FindViewAsync(string numberOrAddress, CancellationToken ct)
    {
        var key = numberOrAddress.Trim();
        if (!IsAddress(key))
            return (await accounts.FindAsync(AbhaNumber.Parse(key), ct).ConfigureAwait(false))?.Value.ToLookupView();

        var claim = await claims.FindAddressClaimAsync(AbhaAddress.Parse(key, addressOptions.Suffix), ct).ConfigureAwait(false);
        if (claim is null) return null;
        if (claim.View is not null) return claim.View;
        // A claim written before claims carried views: resolved through its account (a second point read) until the
        // account next changes, which writes the view into all its claims.
        return (await accounts.FindAsync(claim.Holder, ct).ConfigureAwait(false))?.Value.ToLookupView();
    }

    public Task<Versioned<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct) => accounts.FindAsync(number, ct);

    /// <summary>
    /// One spelling of an ABHA number (14 digits) or address (lower case, with the suffix), so formatting variants
    /// are one key; the validation errors of the number or address for a malformed one.
    /// </summary>
    public string Canonical(string numberOrAddress)
    {
        var key = numberOrAddress.Trim();
        return IsAddress(key) ? AbhaAddress.Parse(key, addressOptions.Suffix).Value : AbhaNumber.Parse(key).Digits;
    }

    public async Task<Versioned<AbhaAccount>> RequireAsync(AbhaNumber number, CancellationToken ct) =>
        await accounts.FindAsync(number, ct).ConfigureAwait(false) ?? throw HealthIdErrors.AbhaNotFound();

    /// <summary>The account with this number, or ABHA not found (404); ACCOUNT_DELETED (410) when it was erased.</summary>
    public async Task<AbhaAccount> RequireNotDeletedAsync(AbhaNumber number, CancellationToken ct)
    {
        var account = (await RequireAsync(number, ct).ConfigureAwait(false)).Value;
        account.EnsureNotDeleted();
        return account;
    }

    /// <summary>The live ABHAs whose verified mobile has this keyed hash.</summary>
    public Task<IReadOnlyList<AbhaNumber>> FindByMobileHashAsync(string mobileHash, CancellationToken ct) =>
        accounts.FindByMobileHashAsync(mobileHash, ct);

    private static bool IsAddress(string key) => key.Contains('@', StringComparison.Ordinal) || key.Any(char.IsLetter);
}
