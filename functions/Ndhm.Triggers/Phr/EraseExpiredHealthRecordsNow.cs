using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>Runs the health-record erasure now (what the timer does every minute).</summary>
public sealed class EraseExpiredHealthRecordsNow(PhrRecordService records)
{
    [Function(nameof(EraseExpiredHealthRecordsNow))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Erase now the pulled health records whose dataEraseAt has passed (platform admins; the timer does it every minute).",
        Response = typeof(HealthRecordErasureResult), Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/health-records/erase-due")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(new HealthRecordErasureResult(await records.EraseDueAsync(ct)));
}
