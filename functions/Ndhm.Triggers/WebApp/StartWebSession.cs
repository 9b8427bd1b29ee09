using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// The web app's sign-in: verifies a login OTP (as <c>v3/profile/login/verify</c> does) and keeps the patient's tokens
/// in HttpOnly cookies instead of handing them to the page's scripts.
/// </summary>
public sealed class StartWebSession(AbhaLoginService login, SensitiveFields fields)
{
    [Function(nameof(StartWebSession))]
    [PublicEndpoint("Authenticated by the login OTP in the body, like v3/profile/login/verify.")]
    [OpenApiOperation("Sign in to the web app with a login OTP (ABHA number or address): the session is set as HttpOnly cookies, the answer carries the profile and CSRF token.",
        Request = typeof(LoginVerifyRequest), Response = typeof(WebSessionResponse), Tag = "Web app")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebAppAssets.RoutePrefix + "/session/login")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LoginVerifyRequest>(ct);
        var code = await fields.OtpAsync(body.AuthData, ct);
        var outcome = await login.VerifyOtpAsync(code.TxnId!, code.OtpValue!.Trim(), ct);
        if (outcome is not { Account: { } account, Tokens: { } tokens })
        {
            throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "Several ABHAs use this mobile.",
                "Sign in to the web app with the ABHA number or address of the account.");
        }

        var patientTokens = HealthIdHttp.Tokens(tokens);
        var csrf = WebSessionCookies.Start(req.HttpContext, patientTokens);
        return new OkObjectResult(new WebSessionResponse("Signed in", account.ToProfile(), csrf, patientTokens.ExpiresIn, null));
    }
}
