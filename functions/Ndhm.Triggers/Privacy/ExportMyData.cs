using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Ndhm.Core.Security;
using Ndhm.Privacy.Export;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Privacy;

/// <summary>
/// The patient's right of access (DPDP Act s.11): one JSON document of everything held about them, as a download.
/// Recorded on their audit chain (<c>data.export</c>); an erased patient gets 410 SUBJECT_ERASED.
/// </summary>
public sealed class ExportMyData(PatientDataExport export)
{
    [Function(nameof(ExportMyData))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Everything the platform holds about the caller (PATIENT token) as one JSON document: profile, linked " +
        "records (a FHIR R4 Bundle of type collection), consents, nominee and the full audit trail (newest first, verifiable). " +
        "A download (Content-Disposition: attachment), recorded on the patient's audit trail; a few per hour.",
        Response = typeof(PatientDataExportResponse), Tag = "Patient data rights")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/export")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var exported = await export.ExportAsync(new PatientDataSubject(number.Digits), ct);
        var headers = req.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = exported.FileName }.ToString();
        return new ContentResult
        {
            Content = exported.Document.ToJsonString(),
            ContentType = "application/json; charset=utf-8",
            StatusCode = StatusCodes.Status200OK,
        };
    }
}
