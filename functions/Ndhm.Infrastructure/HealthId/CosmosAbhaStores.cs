using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Demographic;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Numbers;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// ABHA accounts in <c>health-ids</c>: id = pk = the 14 digits; a lookup by number is one point read (plus, on a cold
/// key cache, one read of the patient's data key). Personal fields are encrypted with the patient's data key
/// (<see cref="AbhaPersonalFields"/>), created at enrolment; storing the erased account destroys the key.
/// </summary>
public sealed class CosmosAbhaAccountStore(CosmosClient client, CosmosSettings settings, PlaintextFieldEncryptor fields, DataKeyRing keys,
    IIdentityHasher? hasher = null)
    : IAbhaAccountStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<Versioned<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(number);
        var read = await CosmosDocuments.TryReadAsync<JsonObject>(container, number.Digits, number.Digits, ct).ConfigureAwait(false);
        return read is { } r ? new Versioned<AbhaAccount>(await AbhaPersonalFields.FromStoredAsync(r.Document, fields, ct).ConfigureAwait(false), r.ETag) : null;
    }

    public async Task<string> CreateAsync(AbhaAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var document = await ToStoredAsync(account, ct).ConfigureAwait(false);
        return await CosmosDocuments.CreateAsync(container, document, account.Id, CosmosHealthIdErrors.AlreadyExists, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the account; when it is the erased tombstone, then destroys the patient's data key (crypto-shredding),
    /// only once the tombstone is saved, so an erasure retried after a lost race still reads the account it erases.
    /// </summary>
    public async Task<string> ReplaceAsync(AbhaAccount account, string ifMatch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var document = await ToStoredAsync(account, ct).ConfigureAwait(false);
        var etag = await CosmosDocuments.ReplaceAsync(container, document, account.Id, account.Id, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate,
            CosmosHealthIdErrors.ConcurrentUpdate, ct).ConfigureAwait(false);
        if (account.Status == AbhaStatus.Deleted)
            await keys.ShredAsync(AbhaPersonalFields.ScopeOf(account.Id), ct).ConfigureAwait(false);
        return etag;
    }

    /// <summary>ABHA numbers whose verified mobile has this keyed hash (a family may share a mobile); a query.</summary>
    public async Task<IReadOnlyList<AbhaNumber>> FindByMobileHashAsync(string mobileHash, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT VALUE c.abhaNumber FROM c WHERE c.mobileHash = @h AND c.status != 'DELETED'")
            .WithParameter("@h", mobileHash);
        var numbers = await CosmosDocuments.QueryAsync<string>(container, query, max: 20, partitionKey: null, ct).ConfigureAwait(false);
        return numbers.Select(AbhaNumber.Parse).ToList();
    }

    public async Task<IReadOnlyList<AbhaNumber>> FindByDemographicHashAsync(string demographicHash, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT VALUE c.abhaNumber FROM c WHERE c.demographicHash = @h AND c.status != 'DELETED'")
            .WithParameter("@h", demographicHash);
        var numbers = await CosmosDocuments.QueryAsync<string>(container, query, max: 5, partitionKey: null, ct).ConfigureAwait(false);
        return numbers.Select(AbhaNumber.Parse).ToList();
    }

    public async Task<IReadOnlyList<AbhaNumber>> FindByDemographicBlockAsync(string blockHash, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP 20 VALUE c.abhaNumber FROM c WHERE c.demographicBlockHash = @h AND c.status != 'DELETED'")
            .WithParameter("@h", blockHash);
        var numbers = await CosmosDocuments.QueryAsync<string>(container, query, max: 20, partitionKey: null, ct).ConfigureAwait(false);
        return numbers.Select(AbhaNumber.Parse).ToList();
    }

    /// <summary>
    /// The stored account, with <c>demographicHash</c> (the keyed hash of <see cref="DemographicKey"/>, computed here from the
    /// plaintext before encryption, so every enrolment route and every profile change keeps it current; none once erased),
    /// and <c>demographicBlockHash</c> (the keyed hash of <see cref="DemographicMatch.BlockKey"/>: the candidates for
    /// matching beyond exact).
    /// </summary>
    private async Task<JsonObject> ToStoredAsync(AbhaAccount account, CancellationToken ct)
    {
        var document = await AbhaPersonalFields.ToStoredAsync(account, fields, ct).ConfigureAwait(false);
        if (hasher is null || account.Status == AbhaStatus.Deleted) return document;
        if (DemographicKey.Of(account.Name, account.DateOfBirth, account.Gender, account.Address) is { } key)
            document[DemographicHashField] = await hasher.HashDemographicsAsync(key, ct).ConfigureAwait(false);
        if (DemographicMatch.BlockKey(DemographicPerson.Of(account)) is { } block)
            document[DemographicBlockHashField] = await hasher.HashDemographicsAsync(block, ct).ConfigureAwait(false);
        return document;
    }

    public const string DemographicHashField = "demographicHash";
    public const string DemographicBlockHashField = "demographicBlockHash";
}

/// <summary>Create-only reservation documents (id <c>number:{digits}</c>); never deleted, so a number is never reissued.</summary>
public sealed class CosmosAbhaNumberReservations(CosmosClient client, CosmosSettings settings, TimeProvider time) : IAbhaNumberReservations
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<bool> TryReserveAsync(AbhaNumber number, CancellationToken ct)
    {
        var id = "number:" + number.Digits;
        return await CosmosDocuments.TryCreateAsync(container,
            new HealthIdClaimDocument(id, id, "numberReservation", number.Digits, time.GetUtcNow()), id, ct).ConfigureAwait(false) is not null;
    }
}

/// <summary>
/// Uniqueness claims: Aadhaar hash -> number (id <c>aadhaar:{hash}</c>, deleted on erasure) and address -> number
/// (id = the address, kept for ever, carrying the holder's lookup view). Created only if absent, so of two racing
/// claimants exactly one wins; an address claim's view is then replaced with If-Match as the account changes, but
/// its number never. The holder's name in a view is encrypted with the holder's data key, bound to the claim's id.
/// </summary>
public sealed class CosmosIdentityClaims(CosmosClient client, CosmosSettings settings, TimeProvider time, FieldCipher cipher)
    : IIdentityClaims, IAbhaAddressAvailability
{
    private const string AddressClaimKind = "addressClaim";
    private const int SyncTries = 3;
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<AbhaNumber?> FindAadhaarHolderAsync(string aadhaarHash, CancellationToken ct)
    {
        var claim = await CosmosDocuments.FindAsync<HealthIdClaimDocument>(container, AadhaarId(aadhaarHash), AadhaarId(aadhaarHash), ct).ConfigureAwait(false);
        return claim is null ? null : AbhaNumber.Parse(claim.AbhaNumber);
    }

    public async Task<AbhaNumber> ClaimAadhaarAsync(string aadhaarHash, AbhaNumber number, CancellationToken ct)
    {
        var id = AadhaarId(aadhaarHash);
        if (await CosmosDocuments.TryCreateAsync(container, new HealthIdClaimDocument(id, id, "aadhaarClaim", number.Digits, time.GetUtcNow()), id, ct).ConfigureAwait(false) is not null)
            return number;
        var holder = await CosmosDocuments.FindAsync<HealthIdClaimDocument>(container, id, id, ct).ConfigureAwait(false);
        // Released between our create and read: the caller retries the enrolment and wins then.
        return holder is null
            ? throw CosmosHealthIdErrors.ConcurrentUpdate()
            : AbhaNumber.Parse(holder.AbhaNumber);
    }

    public Task ReleaseAadhaarAsync(string aadhaarHash, CancellationToken ct)
    {
        var id = AadhaarId(aadhaarHash);
        return CosmosDocuments.TryDeleteAsync(container, id, id, ifMatch: null, ct);
    }

    public async Task<bool> TryClaimAddressAsync(AbhaAddress address, AbhaLookupView view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        var id = address.Value;
        var stored = await AbhaPersonalFields.EncryptAsync(view, id, cipher, ct).ConfigureAwait(false);
        if (await CosmosDocuments.TryCreateAsync(container, new AbhaAddressClaimDocument(id, id, AddressClaimKind, view.AbhaNumber.Digits, time.GetUtcNow(), stored), id, ct).ConfigureAwait(false) is not null)
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
        var claim = await CosmosDocuments.FindAsync<AbhaAddressClaimDocument>(container, address.Value, address.Value, ct).ConfigureAwait(false);
        return claim is null
            ? null
            : new AbhaAddressClaim(AbhaNumber.Parse(claim.AbhaNumber), await AbhaPersonalFields.DecryptAsync(claim.View, claim.Id, cipher, ct).ConfigureAwait(false));
    }

    /// <summary>The number an address was claimed for (one point read), or null.</summary>
    public async Task<AbhaNumber?> FindAddressHolderAsync(AbhaAddress address, CancellationToken ct) =>
        (await FindAddressClaimAsync(address, ct).ConfigureAwait(false))?.Holder;

    private async Task SyncAddressViewAsync(AbhaAddress address, AbhaLookupView view, CancellationToken ct)
    {
        var id = address.Value;
        var stored = await AbhaPersonalFields.EncryptAsync(view, id, cipher, ct).ConfigureAwait(false);
        // Two changes of one account may sync at once: the loser of the If-Match re-reads, and writes only if its
        // view is still the newer one.
        for (var attempt = 1; ; attempt++)
        {
            var read = await CosmosDocuments.TryReadAsync<AbhaAddressClaimDocument>(container, id, id, ct).ConfigureAwait(false);
            if (read is not { } claim)
            {
                // Claims are never deleted, so a linked address without one was lost by hand: claim it again.
                if (await CosmosDocuments.TryCreateAsync(container, new AbhaAddressClaimDocument(id, id, AddressClaimKind, view.AbhaNumber.Digits, time.GetUtcNow(), stored), id, ct)
                        .ConfigureAwait(false) is not null)
                    return;
                if (attempt >= SyncTries) throw CosmosHealthIdErrors.ConcurrentUpdate();
                continue;
            }

            // Compared in plaintext: two encryptions of one name differ.
            if (claim.Document.AbhaNumber != view.AbhaNumber.Digits
                || !view.ShouldReplace(await AbhaPersonalFields.DecryptAsync(claim.Document.View, id, cipher, ct).ConfigureAwait(false)))
                return;
            try
            {
                await CosmosDocuments.ReplaceAsync(container, claim.Document with { View = stored }, id, id, claim.ETag, CosmosHealthIdErrors.ConcurrentUpdate, CosmosHealthIdErrors.ConcurrentUpdate, ct).ConfigureAwait(false);
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
