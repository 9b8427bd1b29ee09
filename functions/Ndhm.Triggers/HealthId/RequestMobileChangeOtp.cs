using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RequestMobileChangeOtp(AbhaAccountService accounts, SensitiveFields fields)
{
    [Function(nameof(RequestMobileChangeOtp))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Send an OTP to a new mobile to re-verify it before it replaces the current one.",
        Request = typeof(MobileChangeRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/mobile/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<MobileChangeRequest>(ct);
        var mobile = MobileNumber.Parse(await fields.RequireAsync(body.Mobile, "mobile", ct));
        return new OkObjectResult(HealthIdHttp.OtpResponse(await accounts.RequestMobileChangeOtpAsync(number, mobile, ct)));
    }
}
