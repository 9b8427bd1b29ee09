using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Documents;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class ListDocumentReviews(DocumentEnrolmentService documents)
{
    [Function(nameof(ListDocumentReviews))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("The verifiers' queue: pending document enrolments, oldest first (no personal data; max 1-50, default 20). " +
        "Only for health workers of a verified, active facility (the token's facilityId).",
        Response = typeof(DocumentReviewList), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/enrollment/document-reviews")] HttpRequest req,
        CancellationToken ct)
    {
        var max = int.TryParse(req.Query["max"].FirstOrDefault(), out var m) ? m : 20;
        var pending = await documents.ListPendingAsync(DocumentReviewHttp.Reviewer(req.Caller()), max, ct);
        return new OkObjectResult(new DocumentReviewList(pending
            .Select(p => new DocumentReviewListItem(p.AbhaNumber.Formatted, DocumentReviewHttp.TypeName(p.DocumentType), p.SubmittedAt))
            .ToList()));
    }
}
