using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Enrolment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RequestEnrolmentOtp(EnrolmentOtpRequests requests, SensitiveFields fields)
{
    [Function(nameof(RequestEnrolmentOtp))]
    [PublicEndpoint("Enrolment starts here: the person has no account or token yet; the OTP authenticates them.")]
    [OpenApiOperation("Send an enrolment OTP (loginHint aadhaar: to the Aadhaar-registered mobile; mobile: to that mobile); with txnId: resend it.",
        Request = typeof(OtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<OtpRequest>(ct);
        return new OkObjectResult(HealthIdHttp.OtpResponse(await requests.RequestAsync(
            HealthIdHttp.Require(body.LoginHint, "loginHint"), await fields.LoginIdAsync(body, ct), body.TxnId, ct)));
    }
}
