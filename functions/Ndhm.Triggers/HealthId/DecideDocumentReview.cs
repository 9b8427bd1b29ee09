using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Numbers;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class DecideDocumentReview(DocumentEnrolmentService documents)
{
    [Function(nameof(DecideDocumentReview))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("A verifier's decision on a pending document enrolment: APPROVE (the document is VERIFIED) or REJECT " +
        "with a reason (the document is released); audited, and the submitted photos are deleted.",
        Request = typeof(DocumentReviewDecisionRequest), Response = typeof(Ndhm.HealthId.Accounts.AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/document-reviews/{abhaNumber}/decision")] HttpRequest req,
        string abhaNumber,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var number = AbhaNumber.Parse(abhaNumber);
        var body = await req.ReadJsonAsync<DocumentReviewDecisionRequest>(ct);
        var approve = HealthIdHttp.Require(body.Decision, "decision").ToUpperInvariant() switch
        {
            "APPROVE" => true,
            "REJECT" => false,
            _ => throw HealthIdErrors.InvalidRequest("decision must be APPROVE or REJECT."),
        };
        var account = await documents.DecideAsync(DocumentReviewHttp.Reviewer(caller), number, approve, body.Reason, ct);
        return new OkObjectResult(account.ToProfile());
    }
}
