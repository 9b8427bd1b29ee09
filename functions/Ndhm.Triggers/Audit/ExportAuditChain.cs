using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Audit;

/// <summary>
/// A chain with its signed head and the platform's public keys, for <c>ndhm audit verify</c> or any third party.
/// The export itself is recorded on the platform chain (it discloses who accessed a patient's data).
/// </summary>
public sealed class ExportAuditChain(AuditQueries queries, IAuditTrail trail)
{
    [Function(nameof(ExportAuditChain))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Export an audit chain for offline verification (platform admins).", Response = typeof(AuditExport), Tag = AuditHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/audit/chains/{chain}/export")] HttpRequest req,
        string chain,
        CancellationToken ct)
    {
        var key = AuditChainKey.Parse(chain);
        var export = await queries.ExportAsync(key, ct);
        await trail.RecordAsync(new AuditEvent(AuditChainKey.Platform, AuditHttp.Actor(req.HttpContext), "audit.export",
            new AuditResource("audit-chain", key)), ct);
        return new OkObjectResult(export);
    }
}
