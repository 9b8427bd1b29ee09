using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class DeactivateAbha(AbhaAccountService accounts, SensitiveFields fields)
{
    [Function(nameof(DeactivateAbha))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Deactivate the caller's ABHA, confirmed by a fresh OTP (authData.otp of a de-activate request/otp); it stops resolving for verifiers, login still works to reactivate.",
        Request = typeof(AccountConfirmationRequest), Response = typeof(AccountStatusResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/deactivate")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var otp = await fields.ReadConfirmationAsync(req, ct);
        var account = await accounts.DeactivateAsync(number, otp.TxnId!, otp.OtpValue!.Trim(), ct);
        return new OkObjectResult(new AccountStatusResponse(account.AbhaNumber.Formatted, "DEACTIVATED"));
    }
}
