using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
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

    public Task<string?> TryCreateAsync(Facility facility, CancellationToken ct) =>
        RegistryCosmos.TryCreateAsync(Container, FacilityDocument.From(facility), ct);

    public async Task<Versioned<Facility>?> FindAsync(FacilityId id, CancellationToken ct) =>
        await RegistryCosmos.TryReadAsync<FacilityDocument>(Container, id.Value, FacilityDocument.PartitionOf(id), ct) is { } found
            ? new Versioned<Facility>(found.Value.Facility, found.ETag)
            : null;

    public Task<string> ReplaceAsync(Facility facility, string ifMatch, CancellationToken ct) =>
        RegistryCosmos.ReplaceAsync(Container, FacilityDocument.From(facility), ifMatch, Ndhm.Registry.RegistryErrors.NoSuchFacility, ct);

    public async Task<IReadOnlyList<Facility>> QueryAsync(FacilityQuery query, string? afterId, int take, CancellationToken ct)
    {
        var search = new RegistrySearch(RegistryDocTypes.Facility)
            .Where("STARTSWITH(c.nameFolded, @namePrefix)", "@namePrefix", query.NamePrefix)
            .Where("CONTAINS(c.nameFolded, @nameContains)", "@nameContains", query.NameContains)
            .Where("c.facility.type = @type", "@type", query.Type)
            .Where("c.facility.ownership = @ownership", "@ownership", query.Ownership)
            .Where("c.facility.address.stateCode = @stateCode", "@stateCode", query.StateCode)
            .Where("c.districtFolded = @district", "@district", query.District)
            .Where("c.facility.address.pincode = @pincode", "@pincode", query.Pincode)
            .Where("c.facility.verified = @verified", "@verified", query.Verified)
            .WhereStatus("c.facility.deactivation", query.Status);
        if (query.Within is { } box)
        {
            search.Where("c.facility.location.latitude >= @minLat", "@minLat", box.MinLatitude)
                .Where("c.facility.location.latitude <= @maxLat", "@maxLat", box.MaxLatitude)
                .Where("c.facility.location.longitude >= @minLon", "@minLon", box.MinLongitude)
                .Where("c.facility.location.longitude <= @maxLon", "@maxLon", box.MaxLongitude);
        }

        var documents = await search.RunAsync<FacilityDocument>(Container, afterId, take, ct);
        return documents.Select(d => d.Facility).ToList();
    }
}
