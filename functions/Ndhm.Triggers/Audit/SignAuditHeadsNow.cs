using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Audit;

/// <summary>Runs a signing run now (what the timer does on its schedule): after it, every chain head is signed.</summary>
public sealed class SignAuditHeadsNow(AuditHeadSigning signing)
{
    [Function(nameof(SignAuditHeadsNow))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Sign every moved audit chain head and today's digest now (platform admins).", Response = typeof(AuditSigningRun), Tag = AuditHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/audit/sign")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(await signing.SignAsync(ct));
}
