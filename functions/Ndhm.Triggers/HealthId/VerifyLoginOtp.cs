using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class VerifyLoginOtp(AbhaLoginService login, SensitiveFields fields)
{
    [Function(nameof(VerifyLoginOtp))]
    [PublicEndpoint("Authenticated by the login OTP in the body.")]
    [OpenApiOperation("Verify a login OTP: patient tokens, or (a mobile with several ABHAs) the accounts and a user token to pick one.",
        Request = typeof(LoginVerifyRequest), Response = typeof(LoginResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/verify")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LoginVerifyRequest>(ct);
        var code = await fields.OtpAsync(body.AuthData, ct);
        return new OkObjectResult(HealthIdHttp.Login(await login.VerifyOtpAsync(code.TxnId!, code.OtpValue!.Trim(), ct)));
    }
}
