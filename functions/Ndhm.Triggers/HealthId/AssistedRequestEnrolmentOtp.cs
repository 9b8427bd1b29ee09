using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Enrolment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class AssistedRequestEnrolmentOtp(EnrolmentOtpRequests requests, SensitiveFields fields)
{
    [Function(nameof(AssistedRequestEnrolmentOtp))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Assisted enrolment by a health worker: send the enrolment OTP to the person.",
        Request = typeof(OtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<OtpRequest>(ct);
        return new OkObjectResult(HealthIdHttp.OtpResponse(await requests.RequestAsync(
            HealthIdHttp.Require(body.LoginHint, "loginHint"), await fields.LoginIdAsync(body, ct), body.TxnId, ct)));
    }
}
