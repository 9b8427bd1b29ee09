using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class DeleteAbha(AbhaAccountService accounts, SensitiveFields fields)
{
    [Function(nameof(DeleteAbha))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Erase the caller's ABHA, confirmed by a fresh OTP (authData.otp of a delete request/otp): personal data removed, the number retired for ever.",
        Request = typeof(AccountConfirmationRequest), Response = typeof(AccountStatusResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v3/profile/account")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var otp = await fields.ReadConfirmationAsync(req, ct);
        await accounts.EraseAsync(number, otp.TxnId!, otp.OtpValue!.Trim(), ct);
        return new OkObjectResult(new AccountStatusResponse(number.Formatted, "DELETED"));
    }
}
