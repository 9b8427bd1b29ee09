using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Marks a professional verified (platform admins only): from then on they may prescribe and consult.</summary>
public sealed class VerifyProfessional(ProfessionalService professionals)
{
    [Function(nameof(VerifyProfessional))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Verify a professional (platform admins; If-Match optional).", Response = typeof(ProfessionalResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/professionals/{hprId}/verify")] HttpRequest req,
        string hprId,
        CancellationToken ct)
    {
        var admin = req.Caller().Subject;
        var verified = await professionals.VerifyAsync(HprId.Parse(hprId), admin, RegistryHttp.IfMatch(req), ct);
        return RegistryHttp.Ok(req, verified, ProfessionalResponse.For(RegistryHttp.Registrant(req)));
    }
}
