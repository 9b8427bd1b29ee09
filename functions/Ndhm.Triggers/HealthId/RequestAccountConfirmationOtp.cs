using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RequestAccountConfirmationOtp(AbhaAccountService accounts)
{
    [Function(nameof(RequestAccountConfirmationOtp))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Send the OTP that confirms deactivation (scope abha-profile, de-activate) or deletion (abha-profile, delete) to the account's verified mobile; with txnId: resend it.",
        Request = typeof(OtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<OtpRequest>(ct);
        var issued = await accounts.RequestConfirmationOtpAsync(number, HealthIdHttp.ConfirmationPurpose(body.Scope), body.TxnId, ct);
        return new OkObjectResult(HealthIdHttp.OtpResponse(issued));
    }
}
