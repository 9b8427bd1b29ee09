using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class VerifyEmail(AbhaAccountService accounts, IIdentityHasher hasher, SensitiveFields fields)
{
    [Function(nameof(VerifyEmail))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Verify the OTP sent to the email and store it as the profile's verified email (encrypted, with a keyed hash).",
        Request = typeof(EmailVerifyRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/email/verify")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<EmailVerifyRequest>(ct);
        var code = await fields.OtpAsync(body.AuthData, ct);
        var account = await accounts.VerifyEmailAsync(number, HealthIdHttp.Require(body.Email, "email"), code.TxnId!, code.OtpValue!.Trim(),
            hasher, ct);
        return new OkObjectResult(account.ToProfile());
    }
}
