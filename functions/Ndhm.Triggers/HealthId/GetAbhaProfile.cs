using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetAbhaProfile(AbhaAccountReads reads)
{
    [Function(nameof(GetAbhaProfile))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's ABHA profile (PATIENT token; sub = the ABHA number).", Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/account")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await reads.ReadProfileAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new OkObjectResult(account.ToProfile());
    }
}
