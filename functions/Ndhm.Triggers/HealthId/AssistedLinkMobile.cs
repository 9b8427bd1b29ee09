using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Demographic;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class AssistedLinkMobile(AssistedMobileLinkService links, SensitiveFields fields)
{
    [Function(nameof(AssistedLinkMobile))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("A health worker of a verified facility verifies the OTP the person received (authData.otp with the mobile) and, " +
        "with the worker's attestation, makes that mobile the ABHA's verified mobile: the person can then log in by OTP.",
        Request = typeof(AssistedMobileLinkRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/profile/mobile/verify")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<AssistedMobileLinkRequest>(ct);
        var number = AbhaNumber.Parse(HealthIdHttp.Require(body.AbhaNumber, "abhaNumber"));
        var code = await fields.OtpAsync(body.AuthData, ct);
        var mobile = MobileNumber.Parse(HealthIdHttp.Require(code.Mobile, "authData.otp.mobile"));
        var account = await links.LinkAsync(AssistedEnrolByAadhaar.Assisted(caller), number, mobile, code.TxnId!, code.OtpValue!.Trim(),
            body.Attestation, ct);
        return new OkObjectResult(account.ToProfile());
    }
}
