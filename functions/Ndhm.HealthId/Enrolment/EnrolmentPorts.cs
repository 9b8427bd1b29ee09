using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Enrolment;

/// <summary>
/// Port: account documents (id = pk = the 14 digits). Replace sends If-Match and throws a DomainException of kind
/// PreconditionFailed (<c>CONCURRENT_UPDATE</c>) when the document changed meanwhile; Create throws Conflict when
/// the id exists.
/// </summary>
public interface IAbhaAccountStore
{
    Task<Versioned<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct);

    Task<string> CreateAsync(AbhaAccount account, CancellationToken ct);

    Task<string> ReplaceAsync(AbhaAccount account, string ifMatch, CancellationToken ct);

    /// <summary>The (at most 20) live ABHAs whose verified mobile has this keyed hash: a family may share a mobile.</summary>
    Task<IReadOnlyList<AbhaNumber>> FindByMobileHashAsync(string mobileHash, CancellationToken ct);

    /// <summary>
    /// The (at most 5) live ABHAs whose demographics (<see cref="Demographic.DemographicKey"/>) have this keyed hash. The
    /// store keeps the hash beside every account it writes (computed from the plaintext before encryption), so accounts
    /// of every enrolment route take part; accounts written before the hash was introduced get it from the backfill (<c>IDemographicKeyBackfill</c>).
    /// </summary>
    Task<IReadOnlyList<AbhaNumber>> FindByDemographicHashAsync(string demographicHash, CancellationToken ct);

    /// <summary>
    /// Live ABHAs whose keyed <see cref="Demographic.DemographicMatch.BlockKey"/> hash (<c>demographicBlockHash</c>) is this:
    /// the candidates a demographic record is compared with beyond the exact key (at most 20; a query).
    /// </summary>
    Task<IReadOnlyList<AbhaNumber>> FindByDemographicBlockAsync(string blockHash, CancellationToken ct);
}

/// <summary>
/// An address claim as a lookup sees it: the number it was claimed for and the holder's lookup view (null in claims
/// written before claims carried views).
/// </summary>
public sealed record AbhaAddressClaim(AbhaNumber Holder, AbhaLookupView? View);

/// <summary>
/// Port: uniqueness claims, one small document per claimed key, created only if absent (a create conflict means
/// someone holds it). This is what makes "one ABHA per Aadhaar" and "an ABHA address belongs to one account" hold
/// under concurrency, without cross-document transactions.
/// </summary>
public interface IIdentityClaims
{
    /// <summary>The ABHA number holding <paramref name="aadhaarHash"/>, or null.</summary>
    Task<AbhaNumber?> FindAadhaarHolderAsync(string aadhaarHash, CancellationToken ct);

    /// <summary>Claims <paramref name="aadhaarHash"/> for <paramref name="number"/>; returns whoever holds it afterwards.</summary>
    Task<AbhaNumber> ClaimAadhaarAsync(string aadhaarHash, AbhaNumber number, CancellationToken ct);

    /// <summary>Drops the claim when its account is erased, so the person may enrol afresh one day.</summary>
    Task ReleaseAadhaarAsync(string aadhaarHash, CancellationToken ct);

    /// <summary>
    /// True when <paramref name="address"/> was free and is now claimed for <paramref name="view"/>'s number (with
    /// the view, for lookups by address), or was already claimed for that number (so a retried request succeeds).
    /// Address claims are never released: records at HIPs are threaded by the address, so it must never point at
    /// someone else.
    /// </summary>
    Task<bool> TryClaimAddressAsync(AbhaAddress address, AbhaLookupView view, CancellationToken ct);

    /// <summary>
    /// Writes <paramref name="view"/> into the claims of <paramref name="addresses"/>, each unless
    /// <see cref="AbhaLookupView.ShouldReplace"/> says no (a claim of another number, or one already holding this or
    /// a later version). Repeating it changes nothing, so a retried change can always call it again.
    /// </summary>
    Task SyncAddressViewsAsync(IEnumerable<AbhaAddress> addresses, AbhaLookupView view, CancellationToken ct);

    /// <summary>The claim of <paramref name="address"/> (one point read), or null when nobody claimed it.</summary>
    Task<AbhaAddressClaim?> FindAddressClaimAsync(AbhaAddress address, CancellationToken ct);
}
