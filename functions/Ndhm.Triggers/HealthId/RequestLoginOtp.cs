using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RequestLoginOtp(AbhaLoginService login, SensitiveFields fields)
{
    [Function(nameof(RequestLoginOtp))]
    [PublicEndpoint("Login starts here: the OTP to the account's mobile authenticates the person.")]
    [OpenApiOperation("Send a login OTP (loginHint abha-number, abha-address or mobile) to the account's verified mobile.",
        Request = typeof(OtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<OtpRequest>(ct);
        var hint = HealthIdHttp.Require(body.LoginHint, "loginHint");
        var loginId = await fields.LoginIdAsync(body, ct);
        return new OkObjectResult(HealthIdHttp.OtpResponse(await login.RequestOtpAsync(hint, loginId, body.TxnId, ct)));
    }
}
