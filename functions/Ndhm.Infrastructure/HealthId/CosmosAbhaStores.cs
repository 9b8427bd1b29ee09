using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Numbers;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>ABHA accounts in <c>health-ids</c>: id = pk = the 14 digits; a lookup by number is one point read.</summary>
public sealed class CosmosAbhaAccountStore(CosmosClient client, CosmosSettings settings) : IAbhaAccountStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<Stored<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(number);
        var read = await CosmosHealthIdErrors.ReadWithETagAsync<AbhaAccount>(container, number.Digits, ct).ConfigureAwait(false);
        return read is { } r ? new Stored<AbhaAccount>(r.Document, r.ETag) : null;
    }

    public Task<string> CreateAsync(AbhaAccount account, CancellationToken ct) =>
        CosmosHealthIdErrors.CreateAsync(container, account, account.Id, ct);

    public Task<string> ReplaceAsync(AbhaAccount account, string ifMatch, CancellationToken ct) =>
        CosmosHealthIdErrors.ReplaceAsync(container, account, account.Id, ifMatch, ct);

    /// <summary>ABHA numbers whose verified mobile has this keyed hash (a family may share a mobile); a query.</summary>
    public async Task<IReadOnlyList<AbhaNumber>> FindByMobileHashAsync(string mobileHash, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT VALUE c.abhaNumber FROM c WHERE c.mobileHash = @h AND c.status != 'DELETED'")
            .WithParameter("@h", mobileHash);
        var numbers = new List<AbhaNumber>();
        using var feed = container.GetItemQueryIterator<string>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 20 });
        while (feed.HasMoreResults && numbers.Count < 20)
        {
            foreach (var n in await feed.ReadNextAsync(ct).ConfigureAwait(false))
                numbers.Add(AbhaNumber.Parse(n));
        }

        return numbers;
    }
}

/// <summary>Create-only reservation documents (id <c>number:{digits}</c>); never deleted, so a number is never reissued.</summary>
public sealed class CosmosAbhaNumberReservations(CosmosClient client, CosmosSettings settings, TimeProvider time) : IAbhaNumberReservations
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public Task<bool> TryReserveAsync(AbhaNumber number, CancellationToken ct)
    {
        var id = "number:" + number.Digits;
        return CosmosHealthIdErrors.TryCreateAsync(container,
            new HealthIdClaimDocument(id, id, "numberReservation", number.Digits, time.GetUtcNow()), id, ct);
    }
}

/// <summary>
/// Uniqueness claims: Aadhaar hash -> number (id <c>aadhaar:{hash}</c>, deleted on erasure) and address -> number
/// (id = the address, kept for ever, carrying the holder's lookup view). Created only if absent, so of two racing
/// claimants exactly one wins; an address claim's view is then replaced with If-Match as the account changes, but
/// its number never.
/// </summary>
public sealed class CosmosIdentityClaims(CosmosClient client, CosmosSettings settings, TimeProvider time)
    : IIdentityClaims, IAbhaAddressAvailability
{
    private const string AddressClaimKind = "addressClaim";
    private const int SyncTries = 3;
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<AbhaNumber?> FindAadhaarHolderAsync(string aadhaarHash, CancellationToken ct)
    {
        var claim = await CosmosHealthIdErrors.ReadOrNullAsync<HealthIdClaimDocument>(container, AadhaarId(aadhaarHash), ct).ConfigureAwait(false);
        return claim is null ? null : AbhaNumber.Parse(claim.AbhaNumber);
    }

    public async Task<AbhaNumber> ClaimAadhaarAsync(string aadhaarHash, AbhaNumber number, CancellationToken ct)
    {
        var id = AadhaarId(aadhaarHash);
        if (await CosmosHealthIdErrors.TryCreateAsync(container,
                new HealthIdClaimDocument(id, id, "aadhaarClaim", number.Digits, time.GetUtcNow()), id, ct).ConfigureAwait(false))
            return number;
        var holder = await CosmosHealthIdErrors.ReadOrNullAsync<HealthIdClaimDocument>(container, id, ct).ConfigureAwait(false);
        // Released between our create and read: the caller retries the enrolment and wins then.
        return holder is null
            ? throw CosmosHealthIdErrors.ConcurrentUpdate()
            : AbhaNumber.Parse(holder.AbhaNumber);
    }

    public async Task ReleaseAadhaarAsync(string aadhaarHash, CancellationToken ct)
    {
        var id = AadhaarId(aadhaarHash);
        try
        {
            await container.DeleteItemAsync<HealthIdClaimDocument>(id, new PartitionKey(id), cancellationToken: ct).ConfigureAwait(false);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    public async Task<bool> TryClaimAddressAsync(AbhaAddress address, AbhaLookupView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        var id = address.Value;
        if (await CosmosHealthIdErrors.TryCreateAsync(container,
                new AbhaAddressClaimDocument(id, id, AddressClaimKind, view.AbhaNumber.Digits, time.GetUtcNow(), view), id, ct).ConfigureAwait(false))
            return true;
        var holder = await FindAddressHolderAsync(address, ct).ConfigureAwait(false);
        return holder == view.AbhaNumber;
    }

    public async Task SyncAddressViewsAsync(IEnumerable<AbhaAddress> addresses, AbhaLookupView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        foreach (var address in addresses.Distinct())
            await SyncAddressViewAsync(address, view, ct).ConfigureAwait(false);
    }

    /// <summary>The claim of <paramref name="address"/> (one point read), with its lookup view when it has one; or null.</summary>
    public async Task<AbhaAddressClaim?> FindAddressClaimAsync(AbhaAddress address, CancellationToken ct)
    {
        var claim = await CosmosHealthIdErrors.ReadOrNullAsync<AbhaAddressClaimDocument>(container, address.Value, ct).ConfigureAwait(false);
        return claim is null ? null : new AbhaAddressClaim(AbhaNumber.Parse(claim.AbhaNumber), claim.View);
    }

    /// <summary>The number an address was claimed for (one point read), or null.</summary>
    public async Task<AbhaNumber?> FindAddressHolderAsync(AbhaAddress address, CancellationToken ct) =>
        (await FindAddressClaimAsync(address, ct).ConfigureAwait(false))?.Holder;

    private async Task SyncAddressViewAsync(AbhaAddress address, AbhaLookupView view, CancellationToken ct)
    {
        var id = address.Value;
        // Two changes of one account may sync at once: the loser of the If-Match re-reads, and writes only if its
        // view is still the newer one.
        for (var attempt = 1; ; attempt++)
        {
            var read = await CosmosHealthIdErrors.ReadWithETagAsync<AbhaAddressClaimDocument>(container, id, ct).ConfigureAwait(false);
            if (read is not { } claim)
            {
                // Claims are never deleted, so a linked address without one was lost by hand: claim it again.
                if (await CosmosHealthIdErrors.TryCreateAsync(container,
                        new AbhaAddressClaimDocument(id, id, AddressClaimKind, view.AbhaNumber.Digits, time.GetUtcNow(), view), id, ct)
                        .ConfigureAwait(false))
                    return;
                if (attempt >= SyncTries) throw CosmosHealthIdErrors.ConcurrentUpdate();
                continue;
            }

            if (claim.Document.AbhaNumber != view.AbhaNumber.Digits || !view.ShouldReplace(claim.Document.View))
                return;
            try
            {
                await CosmosHealthIdErrors.ReplaceAsync(container, claim.Document with { View = view }, id, claim.ETag, ct).ConfigureAwait(false);
                return;
            }
            catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed && attempt < SyncTries)
            {
            }
        }
    }

    public async Task<IReadOnlySet<AbhaAddress>> FindTakenAsync(IReadOnlyCollection<AbhaAddress> candidates, CancellationToken ct)
    {
        var taken = new HashSet<AbhaAddress>();
        if (candidates.Count == 0) return taken;
        var items = candidates.Select(a => (a.Value, new PartitionKey(a.Value))).ToList();
        var response = await container.ReadManyItemsAsync<HealthIdClaimDocument>(items, cancellationToken: ct).ConfigureAwait(false);
        var ids = response.Resource.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (ids.Contains(candidate.Value)) taken.Add(candidate);
        }

        return taken;
    }

    private static string AadhaarId(string aadhaarHash) => "aadhaar:" + aadhaarHash;
}
