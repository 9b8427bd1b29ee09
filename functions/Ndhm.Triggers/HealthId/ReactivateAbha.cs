using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class ReactivateAbha(AbhaAccountService accounts)
{
    [Function(nameof(ReactivateAbha))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Reactivate the caller's deactivated ABHA.", Response = typeof(AccountStatusResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/reactivate")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await accounts.ReactivateAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new OkObjectResult(new AccountStatusResponse(account.AbhaNumber.Formatted, "ACTIVE"));
    }
}
