using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>
/// Replaces a facility's details. If-Match is required (412 CONCURRENT_UPDATE when stale). Only the registering
/// partner or a platform admin may change it; a partner's change to verified facts withdraws verification.
/// </summary>
public sealed class UpdateFacility(FacilityService facilities)
{
    [Function(nameof(UpdateFacility))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip)]
    [OpenApiOperation("Update a facility (If-Match: its ETag).", Request = typeof(FacilityInput), Response = typeof(FacilityResponse),
        Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/facilities/{facilityId}")] HttpRequest req,
        string facilityId,
        CancellationToken ct)
    {
        var registrant = RegistryHttp.Registrant(req);
        var id = FacilityId.Parse(facilityId);
        var input = await req.ReadJsonAsync<FacilityInput>(ct);
        var ifMatch = RegistryHttp.RequireIfMatch(req);
        var updated = await facilities.UpdateAsync(id, input, ifMatch, registrant, ct);
        return RegistryHttp.Ok(req, updated, f => FacilityResponse.From(f));
    }
}
