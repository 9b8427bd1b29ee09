using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>The patient's DIRECT authentication requests from HIPs and HIUs still waiting for an answer, newest first.</summary>
public sealed class ListMyAuthRequests(DirectAuthService direct)
{
    [Function(nameof(ListMyAuthRequests))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient's pending DIRECT authentication requests (users/auth/init with authMode DIRECT), to approve or deny.",
        Response = typeof(AuthRequestList), Tag = "Patient auth requests")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/auth-requests")] HttpRequest req, CancellationToken ct)
    {
        var pending = await direct.ListPendingAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new OkObjectResult(new AuthRequestList(pending.Select(AuthRequestView.From).ToList()));
    }
}
