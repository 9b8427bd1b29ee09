using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Marks a facility verified (platform admins only); verifying a verified facility changes nothing.</summary>
public sealed class VerifyFacility(FacilityService facilities)
{
    [Function(nameof(VerifyFacility))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Verify a facility (platform admins; If-Match optional).", Response = typeof(FacilityResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/facilities/{facilityId}/verify")] HttpRequest req,
        string facilityId,
        CancellationToken ct)
    {
        var admin = req.Caller().Subject;
        var verified = await facilities.VerifyAsync(FacilityId.Parse(facilityId), admin, RegistryHttp.IfMatch(req), ct);
        return RegistryHttp.Ok(req, verified, f => FacilityResponse.From(f));
    }
}
