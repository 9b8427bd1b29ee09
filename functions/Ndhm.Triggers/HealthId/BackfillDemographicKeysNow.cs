using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Demographic;
using Ndhm.Privacy;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// Runs the demographic-key backfill now (the hourly EncryptPlaintextFields timer runs it too): at most 10 pages of
/// 100 accounts per call, so a caller repeats until <c>completed</c>; <c>?restart=true</c> starts over from the first account.
/// </summary>
public sealed class BackfillDemographicKeysNow(IDemographicKeyBackfill backfill)
{
    private const int PagesPerCall = 10;

    [Function(nameof(BackfillDemographicKeysNow))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Give accounts written before the demographic dedup key existed their keyed demographic hash (platform admins): " +
        "resumable (repeat until completed), idempotent, each account audited. ?restart=true starts from the first account.",
        Response = typeof(RunReport), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/health-id/demographic-keys/backfill")] HttpRequest req,
        CancellationToken ct)
    {
        var restart = string.Equals(req.Query["restart"].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
        return new OkObjectResult(await backfill.RunAsync(restart, PagesPerCall, ct));
    }
}
