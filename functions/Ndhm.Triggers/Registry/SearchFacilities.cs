using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>
/// Searches facilities: name (prefix or contains, case-insensitive), type, ownership, state, district, pincode,
/// verified, status (active by default), and distance (lat, lon, radiusKm); pages of pageSize with a continuation token, ordered by facility id.
/// </summary>
public sealed class SearchFacilities(FacilityService facilities)
{
    [Function(nameof(SearchFacilities))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Search facilities (query: name, nameMatch, type, ownership, state, district, pincode, verified, status, lat, lon, radiusKm, pageSize, continuationToken).",
        Response = typeof(FacilitySearchResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/facilities")] HttpRequest req,
        CancellationToken ct)
    {
        var search = FacilitySearch.Create(
            RegistryHttp.Query(req, "name"),
            RegistryHttp.Query(req, "nameMatch"),
            RegistryHttp.Query(req, "type"),
            RegistryHttp.Query(req, "ownership"),
            RegistryHttp.Query(req, "state"),
            RegistryHttp.Query(req, "district"),
            RegistryHttp.Query(req, "pincode"),
            RegistryHttp.Bool(req, "verified"),
            RegistryHttp.Query(req, "status"),
            RegistryHttp.Double(req, "lat"),
            RegistryHttp.Double(req, "lon"),
            RegistryHttp.Double(req, "radiusKm"),
            RegistryHttp.Int(req, "pageSize"),
            RegistryHttp.Query(req, "continuationToken"));
        var page = await facilities.SearchAsync(search, ct);
        return new OkObjectResult(FacilitySearchResponse.From(page));
    }
}
