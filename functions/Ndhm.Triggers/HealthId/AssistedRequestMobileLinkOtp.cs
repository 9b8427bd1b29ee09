using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Demographic;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class AssistedRequestMobileLinkOtp(AssistedMobileLinkService links, SensitiveFields fields)
{
    [Function(nameof(AssistedRequestMobileLinkOtp))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("A health worker of a verified facility sends an OTP to a mobile the person holds, to link it to their ABHA " +
        "(one without a verified mobile: enrolled at a camp or by biometrics), so they can log in by mobile OTP.",
        Request = typeof(AssistedMobileLinkOtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/profile/mobile/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<AssistedMobileLinkOtpRequest>(ct);
        var number = AbhaNumber.Parse(HealthIdHttp.Require(body.AbhaNumber, "abhaNumber"));
        var mobile = MobileNumber.Parse(await fields.RequireAsync(body.Mobile, "mobile", ct));
        return new OkObjectResult(HealthIdHttp.OtpResponse(await links.RequestOtpAsync(AssistedEnrolByAadhaar.Assisted(caller), number, mobile, ct)));
    }
}
