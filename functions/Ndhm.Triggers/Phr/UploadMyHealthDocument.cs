using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Phr.Records;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>
/// The patient uploads a document (a HealthDocumentRecord) as the raw request body with its Content-Type: the body
/// streams through type sniffing and the content scan into storage, never buffered whole, so a raw body rather than
/// multipart (which this HTTP layer would have to buffer or parse part by part for one file).
/// </summary>
public sealed class UploadMyHealthDocument(PhrRecordService records, PhrOptions options)
{
    [Function(nameof(UploadMyHealthDocument))]
    [RequireRoles(Roles.Patient)]
    [StreamedRequestBody("Phr__MaxUploadBytes")]
    [OpenApiOperation("Upload a document to the caller's health record: the raw file as the body with Content-Type application/pdf, " +
        "image/jpeg or image/png (at most 10 MiB); optional query title, fileName and date (yyyy-MM-dd, when the care happened). " +
        "The type is sniffed from the content; executables, scripts, markup, polyglots and PDFs with JavaScript or launch actions " +
        "are refused (DOCUMENT_REFUSED).", Response = typeof(HealthRecordView), SuccessStatus = 201, Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/health-records")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = PhrHttp.Patient(req);
        if (req.ContentLength > options.MaxUploadBytes) throw PhrErrors.TooLarge(options.MaxUploadBytes);
        var record = await records.UploadAsync(new HealthDocumentUpload(patient, req.ContentType, req.Body, PhrHttp.Query(req, "title"),
            PhrHttp.Query(req, "fileName"), PhrHttp.Date(req, "date", endOfDay: false)), ct);
        return new CreatedResult($"{req.PathBase}{req.Path.Value?.TrimEnd('/')}/{record.Id}", HealthRecordView.From(record));
    }
}
