using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Registry.Facilities;

namespace Ndhm.Infrastructure.Registry;

/// <summary>
/// Facilities in Cosmos. Distance searches filter on a latitude/longitude bounding box with plain comparisons
/// (the Cosmos emulator implements no spatial functions, and a box on numbers works the same in Azure); the domain
/// service refines by haversine distance.
/// </summary>
public sealed class CosmosFacilityStore(CosmosClient client, CosmosSettings settings) : IFacilityStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Registry.Name);

    public async Task<string?> TryCreateAsync(Facility facility, CancellationToken ct)
    {
        var document = FacilityDocument.From(facility);
        try
        {
            var response = await Container.CreateItemAsync(document, new PartitionKey(document.Pk), cancellationToken: ct);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public async Task<Versioned<Facility>?> FindAsync(FacilityId id, CancellationToken ct)
    {
        try
        {
            var response = await Container.ReadItemAsync<FacilityDocument>(id.Value, new PartitionKey(FacilityDocument.PartitionOf(id)), cancellationToken: ct);
            return new Versioned<Facility>(response.Resource.Facility, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<string> ReplaceAsync(Facility facility, string ifMatch, CancellationToken ct)
    {
        var document = FacilityDocument.From(facility);
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
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DomainException(ErrorKind.NotFound, Ndhm.Registry.RegistryErrors.FacilityNotFound, "No facility has this id.");
        }
    }

    public async Task<IReadOnlyList<Facility>> QueryAsync(FacilityQuery query, string? afterId, int take, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT TOP {take.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.docType = @docType");
        var parameters = new Dictionary<string, object> { ["@docType"] = RegistryDocTypes.Facility };

        void Where(string clause, string name, object value)
        {
            sql.Append(" AND ").Append(clause);
            parameters[name] = value;
        }

        if (query.NamePrefix is { } prefix) Where("STARTSWITH(c.nameFolded, @namePrefix)", "@namePrefix", prefix);
        if (query.NameContains is { } part) Where("CONTAINS(c.nameFolded, @nameContains)", "@nameContains", part);
        if (query.Type is { } type) Where("c.facility.type = @type", "@type", RegistryCosmos.EnumValue(type));
        if (query.Ownership is { } ownership) Where("c.facility.ownership = @ownership", "@ownership", RegistryCosmos.EnumValue(ownership));
        if (query.StateCode is { } state) Where("c.facility.address.stateCode = @stateCode", "@stateCode", state);
        if (query.District is { } district) Where("c.districtFolded = @district", "@district", district);
        if (query.Pincode is { } pincode) Where("c.facility.address.pincode = @pincode", "@pincode", pincode);
        if (query.Verified is { } verified) Where("c.facility.verified = @verified", "@verified", verified);
        if (query.Within is { } box)
        {
            Where("c.facility.location.latitude >= @minLat", "@minLat", box.MinLatitude);
            Where("c.facility.location.latitude <= @maxLat", "@maxLat", box.MaxLatitude);
            Where("c.facility.location.longitude >= @minLon", "@minLon", box.MinLongitude);
            Where("c.facility.location.longitude <= @maxLon", "@maxLon", box.MaxLongitude);
        }

        if (afterId is not null) Where("c.id > @after", "@after", afterId);
        sql.Append(" ORDER BY c.id");

        var documents = await RegistryCosmos.QueryAsync<FacilityDocument>(Container, sql.ToString(), parameters, take, ct);
        return documents.Select(d => d.Facility).ToList();
    }
}
