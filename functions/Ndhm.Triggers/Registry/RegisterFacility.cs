using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Registers a health facility (HFR). A HIP partner's facility starts unverified; an admin's is verified.</summary>
public sealed class RegisterFacility(FacilityService facilities)
{
    [Function(nameof(RegisterFacility))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip)]
    [OpenApiOperation("Register a health facility (HFR); answers its new facility id.",
        Request = typeof(FacilityInput), Response = typeof(FacilityResponse), SuccessStatus = 201, Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/facilities")] HttpRequest req,
        CancellationToken ct)
    {
        var registrant = RegistryHttp.Registrant(req);
        var input = await req.ReadJsonAsync<FacilityInput>(ct);
        var created = await facilities.RegisterAsync(input, registrant, ct);
        return RegistryHttp.Created(req, created.Value.Id.Value, created, f => FacilityResponse.From(f));
    }
}
