using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

/// <summary>
/// Suspends a professional (platform admins; registration lapsed, struck off): they may no longer prescribe or
/// consult, cannot be changed or verified, and leave default searches. The reason is shown on reads.
/// </summary>
public sealed class DeactivateProfessional(ProfessionalService professionals)
{
    [Function(nameof(DeactivateProfessional))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Deactivate a professional (platform admins; body: reason; If-Match optional).", Request = typeof(DeactivationRequest),
        Response = typeof(ProfessionalResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/professionals/{hprId}/deactivate")] HttpRequest req,
        string hprId,
        CancellationToken ct)
    {
        var admin = req.Caller().Subject;
        var id = HprId.Parse(hprId);
        var body = await req.ReadJsonAsync<DeactivationRequest>(ct);
        var deactivated = await professionals.DeactivateAsync(id, body.Reason, admin, RegistryHttp.IfMatch(req), ct);
        return RegistryHttp.Ok(req, deactivated, ProfessionalResponse.For(RegistryHttp.Registrant(req)));
    }
}
