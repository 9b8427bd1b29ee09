using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>
/// Takes a facility out of service (platform admins; it closed): it may no longer act as a HIP, cannot be changed or
/// verified, and leaves default searches. The reason is shown on reads.
/// </summary>
public sealed class DeactivateFacility(FacilityService facilities)
{
    [Function(nameof(DeactivateFacility))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Deactivate a facility (platform admins; body: reason; If-Match optional).", Request = typeof(DeactivationRequest),
        Response = typeof(FacilityResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/facilities/{facilityId}/deactivate")] HttpRequest req,
        string facilityId,
        CancellationToken ct)
    {
        var admin = req.Caller().Subject;
        var id = FacilityId.Parse(facilityId);
        var body = await req.ReadJsonAsync<DeactivationRequest>(ct);
        var deactivated = await facilities.DeactivateAsync(id, body.Reason, admin, RegistryHttp.IfMatch(req), ct);
        return RegistryHttp.Ok(req, deactivated, f => FacilityResponse.From(f));
    }
}
