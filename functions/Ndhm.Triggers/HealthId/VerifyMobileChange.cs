using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class VerifyMobileChange(AbhaAccountService accounts, OtpService otp, IIdentityHasher hasher, SensitiveFields fields)
{
    [Function(nameof(VerifyMobileChange))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Verify the OTP sent to the new mobile (authData.otp.mobile) and make it the account's mobile.",
        Request = typeof(MobileChangeVerifyRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/mobile/verify")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<MobileChangeVerifyRequest>(ct);
        var code = await fields.OtpAsync(body.AuthData, ct);
        var mobile = MobileNumber.Parse(HealthIdHttp.Require(code.Mobile, "authData.otp.mobile"));
        var mobileHash = await hasher.HashMobileAsync(mobile, ct);
        var txn = await otp.VerifyAsync(code.TxnId!, OtpPurpose.MobileUpdate, code.OtpValue!.Trim(), ct);
        // A transaction started by another account, or for another mobile, does not exist as far as this caller knows.
        if (txn.AbhaNumber != number || !string.Equals(txn.DestinationHash, mobileHash, StringComparison.Ordinal))
            throw OtpErrors.TxnNotFound();
        var account = await accounts.ChangeMobileAsync(number, mobile, mobileHash, ct);
        return new OkObjectResult(account.ToProfile());
    }
}
