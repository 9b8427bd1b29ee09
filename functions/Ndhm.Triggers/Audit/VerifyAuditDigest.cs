using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Audit;

/// <summary>Checks the latest signed digest of all chain heads: a deleted or truncated chain is named.</summary>
public sealed class VerifyAuditDigest(AuditQueries queries)
{
    [Function(nameof(VerifyAuditDigest))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Verify the latest signed digest of all audit chain heads (platform admins).", Response = typeof(AuditDigestReport), Tag = AuditHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/audit/digest/verify")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(await queries.VerifyDigestAsync(ct));
}
