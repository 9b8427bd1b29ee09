using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Reads one facility; its ETag header is what an update sends back in If-Match.</summary>
public sealed class GetFacility(FacilityService facilities)
{
    [Function(nameof(GetFacility))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Read a facility by its HFR id.", Response = typeof(FacilityResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/facilities/{facilityId}")] HttpRequest req,
        string facilityId,
        CancellationToken ct)
    {
        var found = await facilities.GetAsync(FacilityId.Parse(facilityId), ct);
        return RegistryHttp.Ok(req, found, f => FacilityResponse.From(f));
    }
}
