using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>The patient's timeline: pulled and uploaded records, newest first, paged with a continuation token.</summary>
public sealed class ListMyHealthRecords(PhrRecordService records)
{
    [Function(nameof(ListMyHealthRecords))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's health records, newest first by care date (PATIENT token): filter with type (hiType), hip, " +
        "source (PULLED|UPLOADED|PROVIDER), from and to (dates or date-times); pageSize (at most 50) and continuationToken page. Audited.",
        Response = typeof(HealthRecordTimeline), Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/health-records")] HttpRequest req,
        CancellationToken ct)
    {
        var page = await records.ListAsync(PhrHttp.Patient(req), PhrHttp.Filter(req), PhrHttp.Query(req, "continuationToken"), PhrHttp.PageSize(req), ct);
        return new OkObjectResult(new HealthRecordTimeline(page.Records.Select(HealthRecordView.From).ToList(), page.ContinuationToken));
    }
}
