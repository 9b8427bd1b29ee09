using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>
/// The patient approves a DIRECT authentication request: the partner gets users/auth/notify GRANTED with the access token and/or demographics its purpose asks for. Another patient's or an unknown transaction is 404, an expired one 410, one already answered the other
/// way 409; the same answer again is 200 and re-sends the same notification (one delivery).
/// </summary>
public sealed class ApproveAuthRequest(DirectAuthService direct)
{
    [Function(nameof(ApproveAuthRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient approves a DIRECT authentication request: the partner gets users/auth/notify GRANTED with the access token and/or demographics its purpose asks for.",
        Response = typeof(AuthDecisionView), Tag = "Patient auth requests")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/auth-requests/{transactionId}/approve")] HttpRequest req,
        string transactionId,
        CancellationToken ct)
    {
        var decision = await direct.DecideAsync(HealthIdHttp.PatientNumber(req.Caller()), transactionId, approve: true, ct);
        return new OkObjectResult(new AuthDecisionView(decision.TransactionId, decision.Status, decision.NotificationRequestId));
    }
}
