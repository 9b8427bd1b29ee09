using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class SelectLoginAccount(AbhaLoginService login)
{
    [Function(nameof(SelectLoginAccount))]
    [PublicEndpoint("Authenticated by the user token from a verified mobile login OTP.")]
    [OpenApiOperation("Log in to one of the ABHAs on a verified mobile.",
        Request = typeof(LoginSelectRequest), Response = typeof(LoginResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/verify/user")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LoginSelectRequest>(ct);
        return new OkObjectResult(HealthIdHttp.Login(await login.SelectAccountAsync(body.UserToken, body.AbhaNumber, ct)));
    }
}
