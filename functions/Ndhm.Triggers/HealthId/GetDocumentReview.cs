using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Numbers;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetDocumentReview(DocumentEnrolmentService documents)
{
    [Function(nameof(GetDocumentReview))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("One document enrolment with the submitted details and photos, for the verifier to compare with the " +
        "person in front of them; the read is recorded on the patient's audit trail.",
        Response = typeof(DocumentReviewResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/enrollment/document-reviews/{abhaNumber}")] HttpRequest req,
        string abhaNumber,
        CancellationToken ct)
    {
        var r = await documents.GetAsync(DocumentReviewHttp.Reviewer(req.Caller()), AbhaNumber.Parse(abhaNumber), ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(new DocumentReviewResponse(r.AbhaNumber.Formatted, DocumentReviewHttp.TypeName(r.DocumentType),
            DocumentReviewHttp.StateName(r.State), r.SubmittedAt, r.Name?.FirstName, r.Name?.MiddleName, r.Name?.LastName,
            r.DateOfBirth?.ToAbdmString(), r.Gender?.ToString(), B64(r.FrontSidePhoto), B64(r.BackSidePhoto), B64(r.Selfie),
            r.DecidedAt, r.DecidedBy, r.DecidedAtFacility, r.Reason));
    }

    private static string? B64(byte[]? bytes) => bytes is null ? null : Convert.ToBase64String(bytes);
}
