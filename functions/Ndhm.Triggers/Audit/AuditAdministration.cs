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
