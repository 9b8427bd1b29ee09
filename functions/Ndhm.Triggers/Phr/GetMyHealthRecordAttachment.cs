using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>The raw file of a record: an upload as sent, or an attachment carried inside a pulled bundle.</summary>
public sealed class GetMyHealthRecordAttachment(PhrRecordService records)
{
    [Function(nameof(GetMyHealthRecordAttachment))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The raw file of one of the caller's records: an upload as it was sent, or the index-th (default 0) inline " +
        "attachment of a pulled bundle. A download typed by sniffing, with X-Content-Type-Options: nosniff. Audited.",
        Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/health-records/{recordId}/attachment")] HttpRequest req,
        string recordId,
        CancellationToken ct)
    {
        var index = PhrHttp.Query(req, "index") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed < 100 ? parsed
            : throw PhrErrors.Invalid(PhrErrors.InvalidFilter, "index must be a whole number below 100.")
            : 0;
        return new HealthRecordAttachmentResult(await records.GetAttachmentAsync(PhrHttp.Patient(req), recordId, index, ct));
    }
}
