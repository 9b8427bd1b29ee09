using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RefreshPatientToken(AbhaLoginService login)
{
    [Function(nameof(RefreshPatientToken))]
    [PublicEndpoint("Authenticated by the refresh token in the body (its audience is not the API's).")]
    [OpenApiOperation("Exchange a refresh token for new patient tokens (refused once the ABHA is deleted).",
        Request = typeof(RefreshRequest), Response = typeof(PatientTokens), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/refresh")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<RefreshRequest>(ct);
        return new OkObjectResult(HealthIdHttp.Tokens(await login.RefreshAsync(body.RefreshToken, ct)));
    }
}
