using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>Puts a deactivated professional back on the register (platform admins); their verification counts again.</summary>
public sealed class ReactivateProfessional(ProfessionalService professionals)
{
    [Function(nameof(ReactivateProfessional))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Reactivate a professional (platform admins; If-Match optional).", Response = typeof(ProfessionalResponse),
        Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/professionals/{hprId}/reactivate")] HttpRequest req,
        string hprId,
        CancellationToken ct)
    {
        var reactivated = await professionals.ReactivateAsync(HprId.Parse(hprId), RegistryHttp.IfMatch(req), ct);
        return RegistryHttp.Ok(req, reactivated, ProfessionalResponse.For(RegistryHttp.Registrant(req)));
    }
}
