using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>
/// Replaces a professional's details (the HPR id and address stay). If-Match is required (412 CONCURRENT_UPDATE when
/// stale). Only the registering partner or a platform admin may change them; a partner's change to what was
/// verified (name, category, council registration, qualifications) withdraws verification.
/// </summary>
public sealed class UpdateProfessional(ProfessionalService professionals)
{
    [Function(nameof(UpdateProfessional))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip)]
    [OpenApiOperation("Update a professional (If-Match: their ETag).", Request = typeof(ProfessionalInput),
        Response = typeof(ProfessionalResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/professionals/{hprId}")] HttpRequest req,
        string hprId,
        CancellationToken ct)
    {
        var registrant = RegistryHttp.Registrant(req);
        var id = HprId.Parse(hprId);
        var input = await req.ReadJsonAsync<ProfessionalInput>(ct);
        var ifMatch = RegistryHttp.RequireIfMatch(req);
        var updated = await professionals.UpdateAsync(id, input, ifMatch, registrant, ct);
        return RegistryHttp.Ok(req, updated, ProfessionalResponse.For(RegistryHttp.Registrant(req)));
    }
}
