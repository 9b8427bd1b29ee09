using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Audit;

/// <summary>
/// The patient's own trail: who accessed or changed their data, when, for what purpose, under which consent.
/// Newest first, paged. Reading it is not itself recorded (the view would otherwise grow with every look).
/// </summary>
public sealed class GetMyAuditTrail(AuditQueries queries)
{
    [Function(nameof(GetMyAuditTrail))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient's audit trail, newest first (pageSize 1-100, continuationToken from the previous page).",
        Response = typeof(AuditTrailResponse), Tag = AuditHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/audit-trail")] HttpRequest req,
        CancellationToken ct)
    {
        var size = AuditHttp.Query(req, "pageSize") is { } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0
            : (int?)null;
        var page = await queries.PatientTrailAsync(req.Caller().Subject, size, AuditHttp.Query(req, "continuationToken"), ct);
        return new OkObjectResult(AuditTrailResponse.From(page));
    }
}
