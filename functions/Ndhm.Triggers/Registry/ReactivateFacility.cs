using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Puts a deactivated facility back in service (platform admins); its verification counts again.</summary>
public sealed class ReactivateFacility(FacilityService facilities)
{
    [Function(nameof(ReactivateFacility))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Reactivate a facility (platform admins; If-Match optional).", Response = typeof(FacilityResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/facilities/{facilityId}/reactivate")] HttpRequest req,
        string facilityId,
        CancellationToken ct)
    {
        var reactivated = await facilities.ReactivateAsync(FacilityId.Parse(facilityId), RegistryHttp.IfMatch(req), ct);
        return RegistryHttp.Ok(req, reactivated, f => FacilityResponse.From(f));
    }
}
