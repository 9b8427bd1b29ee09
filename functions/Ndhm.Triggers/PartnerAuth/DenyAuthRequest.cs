using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>
/// The patient denies a DIRECT authentication request: the partner gets users/auth/notify DENIED. Another patient's or an unknown transaction is 404, an expired one 410, one already answered the other
/// way 409; the same answer again is 200 and re-sends the same notification (one delivery).
/// </summary>
public sealed class DenyAuthRequest(DirectAuthService direct)
{
    [Function(nameof(DenyAuthRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient denies a DIRECT authentication request: the partner gets users/auth/notify DENIED.",
        Response = typeof(AuthDecisionView), Tag = "Patient auth requests")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/auth-requests/{transactionId}/deny")] HttpRequest req,
        string transactionId,
        CancellationToken ct)
    {
        var decision = await direct.DecideAsync(HealthIdHttp.PatientNumber(req.Caller()), transactionId, approve: false, ct);
        return new OkObjectResult(new AuthDecisionView(decision.TransactionId, decision.Status, decision.NotificationRequestId));
    }
}
