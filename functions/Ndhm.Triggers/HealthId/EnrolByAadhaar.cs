using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class EnrolByAadhaar(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields, TimeProvider time)
{
    [Function(nameof(EnrolByAadhaar))]
    [PublicEndpoint("Authenticated by the Aadhaar OTP in the body.")]
    [OpenApiOperation("Enrol by Aadhaar OTP: returns the ABHA profile and patient tokens (isNew false for an existing holder).",
        Request = typeof(EnrolByAadhaarRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/enrol/byAadhaar")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<EnrolByAadhaarRequest>(ct);
        return new OkObjectResult(await Enrol(enrolment, sessions, fields, time, body, assistedBy: null, ct));
    }

    internal static async Task<EnrolmentResponse> Enrol(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields,
        TimeProvider time, EnrolByAadhaarRequest body, AssistedEnrolment? assistedBy, CancellationToken ct)
    {
        var otp = await fields.OtpAsync(body.AuthData, ct);
        var consent = HealthIdHttp.RequireConsent(body.Consent, time);
        var result = await enrolment.EnrolByAadhaarAsync(otp.TxnId!, otp.OtpValue!.Trim(), assistedBy, consent, ct);
        var tokens = HealthIdHttp.Tokens(await sessions.IssueAsync(result.Account.AbhaNumber, ct));
        return new EnrolmentResponse(result.IsNew ? "Account created successfully" : "This account already exists",
            otp.TxnId, tokens, result.Account.ToProfile(), result.IsNew);
    }
}
