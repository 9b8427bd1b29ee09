using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetAbhaCard(AbhaAccountReads reads, AbhaCardDownload renderer)
{
    [Function(nameof(GetAbhaCard))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's ABHA card: a 711x360 colour PNG, or a one-page PDF with Accept: application/pdf; its QR " +
        "holds a signed (JWS) card payload.", Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/account/abha-card")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await reads.ReadForCardAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return await renderer.RenderAsync(account, req, ct);
    }
}
