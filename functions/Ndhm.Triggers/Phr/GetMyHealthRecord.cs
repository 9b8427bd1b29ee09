using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>One of the patient's records: a pulled one with its FHIR bundle, an upload with its metadata.</summary>
public sealed class GetMyHealthRecord(PhrRecordService records)
{
    [Function(nameof(GetMyHealthRecord))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("One of the caller's health records: a pulled record with its FHIR R4 bundle, an upload with its metadata " +
        "(the file itself is at /attachment). Someone else's record is 404, like an unknown one. Audited.",
        Response = typeof(HealthRecordDetailView), Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/health-records/{recordId}")] HttpRequest req,
        string recordId,
        CancellationToken ct)
    {
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(HealthRecordDetailView.From(await records.GetAsync(PhrHttp.Patient(req), recordId, ct)));
    }
}
