using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Infrastructure.Registry;

/// <summary>
/// Professionals in Cosmos, plus create-only claim documents that make a council registration and an HPR address
/// unique across the registry (no transactions needed: a claim is written before the professional and names it).
/// </summary>
public sealed class CosmosProfessionalStore(CosmosClient client, CosmosSettings settings, TimeProvider time) : IProfessionalStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Registry.Name);

    public Task<bool> TryClaimCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct) =>
        ClaimAsync($"council:{Key(council)}:{Key(registrationNumber)}", RegistryDocTypes.CouncilClaim, owner, ct);

    public Task<bool> TryClaimAddressAsync(string hprAddress, HprId owner, CancellationToken ct) =>
        ClaimAsync("hpr-address:" + hprAddress.ToLowerInvariant(), RegistryDocTypes.AddressClaim, owner, ct);

    public async Task<string?> TryCreateAsync(Professional professional, CancellationToken ct)
    {
        var document = ProfessionalDocument.From(professional);
        try
        {
            return (await Container.CreateItemAsync(document, new PartitionKey(document.Pk), cancellationToken: ct)).ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public async Task<Versioned<Professional>?> FindAsync(HprId id, CancellationToken ct)
    {
        try
        {
            var response = await Container.ReadItemAsync<ProfessionalDocument>(id.Value, new PartitionKey(ProfessionalDocument.PartitionOf(id)),
                cancellationToken: ct);
            return new Versioned<Professional>(response.Resource.Professional, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<string> ReplaceAsync(Professional professional, string ifMatch, CancellationToken ct)
    {
        var document = ProfessionalDocument.From(professional);
        try
        {
            var response = await Container.ReplaceItemAsync(document, document.Id, new PartitionKey(document.Pk),
                new ItemRequestOptions { IfMatchEtag = ifMatch }, ct);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw RegistryCosmos.ConcurrentUpdate();
        }
    }

    public async Task<IReadOnlyList<Professional>> QueryAsync(ProfessionalQuery query, string? afterId, int take, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT TOP {take.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.docType = @docType");
        var parameters = new Dictionary<string, object> { ["@docType"] = RegistryDocTypes.Professional };

        void Where(string clause, string name, object value)
        {
            sql.Append(" AND ").Append(clause);
            parameters[name] = value;
        }

        if (query.NameContains is { } name) Where("CONTAINS(c.nameFolded, @name)", "@name", name);
        if (query.Specialty is { } specialty) Where("ARRAY_CONTAINS(c.specialtiesFolded, @specialty)", "@specialty", specialty);
        if (query.Language is { } language) Where("ARRAY_CONTAINS(c.languagesFolded, @language)", "@language", language);
        if (query.Facility is { } facility) Where("ARRAY_CONTAINS(c.facilityIds, @facility)", "@facility", facility.Value);
        if (query.Category is { } category) Where("c.professional.category = @category", "@category", RegistryCosmos.EnumValue(category));
        if (query.Verified is { } verified) Where("c.professional.verified = @verified", "@verified", verified);
        if (afterId is not null) Where("c.id > @after", "@after", afterId);
        sql.Append(" ORDER BY c.id");

        var documents = await RegistryCosmos.QueryAsync<ProfessionalDocument>(Container, sql.ToString(), parameters, take, ct);
        return documents.Select(d => d.Professional).ToList();
    }

    /// <summary>
    /// A claim left behind when the professional write failed after it (the process died, Cosmos went away) would
    /// block that council registration or address forever. A claim whose owner does not exist and that is older than
    /// this is taken over; younger ones may belong to a registration still in flight.
    /// </summary>
    public static readonly TimeSpan OrphanedClaimAge = TimeSpan.FromMinutes(2);

    private async Task<bool> ClaimAsync(string key, string docType, HprId owner, CancellationToken ct)
    {
        // The id is a hash of the claimed key: keys hold spaces, '/' and '%' that Cosmos ids or their URLs do not
        // carry safely (the emulator URL-decodes ids on replace), and a hash also bounds the length.
        var hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var claim = new ClaimDocument(docType + "-" + hashed, docType + "-" + hashed, docType, key, owner.Value, time.GetUtcNow());
        try
        {
            await Container.CreateItemAsync(claim, new PartitionKey(claim.Pk), cancellationToken: ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return await TryTakeOverOrphanAsync(claim, ct);
        }
    }

    private async Task<bool> TryTakeOverOrphanAsync(ClaimDocument claim, CancellationToken ct)
    {
        ItemResponse<ClaimDocument> existing;
        try
        {
            existing = await Container.ReadItemAsync<ClaimDocument>(claim.Id, new PartitionKey(claim.Pk), cancellationToken: ct);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        var held = existing.Resource;
        if (time.GetUtcNow() - held.ClaimedAt < OrphanedClaimAge
            || !HprId.TryParse(held.Owner, out var holder) || await FindAsync(holder, ct) is not null)
        {
            return false;
        }

        try
        {
            await Container.ReplaceItemAsync(claim, claim.Id, new PartitionKey(claim.Pk), new ItemRequestOptions { IfMatchEtag = existing.ETag }, ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false; // someone else took it over first
        }
    }

    private static string Key(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
