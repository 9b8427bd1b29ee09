using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Audit;

/// <summary>Verifies one chain end to end (hashes, links, signed head) and names the first bad entry.</summary>
public sealed class VerifyAuditChain(AuditQueries queries)
{
    [Function(nameof(VerifyAuditChain))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Verify an audit chain (platform admins): intact, or the first bad entry and why.", Response = typeof(AuditChainReport), Tag = AuditHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/audit/chains/{chain}/verify")] HttpRequest req,
        string chain,
        CancellationToken ct) =>
        new OkObjectResult(await queries.VerifyChainAsync(AuditChainKey.Parse(chain), ct));
}
