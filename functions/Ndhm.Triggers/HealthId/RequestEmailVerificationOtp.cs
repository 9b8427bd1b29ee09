using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RequestEmailVerificationOtp(AbhaAccountService accounts, IEmailOtpSender email, IIdentityHasher hasher)
{
    [Function(nameof(RequestEmailVerificationOtp))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Send an OTP to an email address to verify it for the caller's ABHA profile (M1 PROF_ABHA_603).",
        Request = typeof(EmailVerificationRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/email/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<EmailVerificationRequest>(ct);
        var issued = await accounts.RequestEmailVerificationOtpAsync(number, HealthIdHttp.Require(body.Email, "email"), email, hasher, ct);
        return new OkObjectResult(HealthIdHttp.OtpResponse(issued));
    }
}
