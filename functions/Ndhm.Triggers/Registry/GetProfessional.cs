using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Registry;

public sealed class GetProfessional(ProfessionalService professionals)
{
    [Function(nameof(GetProfessional))]
    [RequireRoles(Roles.PlatformAdmin, Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Read a professional by HPR id.", Response = typeof(ProfessionalResponse), Tag = RegistryHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/professionals/{hprId}")] HttpRequest req,
        string hprId,
        CancellationToken ct)
    {
        var found = await professionals.GetAsync(HprId.Parse(hprId), ct);
        return RegistryHttp.Ok(req, found, ProfessionalResponse.For(RegistryHttp.Registrant(req)));
    }
}
