using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Login;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class EnrolByMobile(AbhaEnrolmentService enrolment, OtpService otpService, PatientSessions sessions, SensitiveFields fields, TimeProvider time)
{
    [Function(nameof(EnrolByMobile))]
    [PublicEndpoint("Authenticated by the mobile OTP in the body.")]
    [OpenApiOperation("Enrol with a mobile OTP and self-declared demographics (KYC unverified).",
        Request = typeof(EnrolByMobileRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/enrol/byMobile")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<EnrolByMobileRequest>(ct);
        return new OkObjectResult(await Enrol(enrolment, otpService, sessions, fields, time, body, null, ct));
    }

    internal static async Task<EnrolmentResponse> Enrol(AbhaEnrolmentService enrolment, OtpService otpService,
        PatientSessions sessions, SensitiveFields fields, TimeProvider time, EnrolByMobileRequest body, AssistedEnrolment? assistedBy,
        CancellationToken ct)
    {
        var otp = await fields.OtpAsync(body.AuthData, ct);
        var consent = HealthIdHttp.RequireConsent(body.Consent, time);
        // Everything is checked before the OTP is spent, so a typo in the form does not cost the person their code.
        var details = new MobileEnrolmentDetails(
            MobileNumber.Parse(HealthIdHttp.Require(otp.Mobile, "authData.otp.mobile")),
            PersonName.Create(body.FirstName, body.MiddleName, body.LastName),
            GenderCodes.Parse(body.Gender),
            HealthIdHttp.BirthDate(body.YearOfBirth, body.MonthOfBirth, body.DayOfBirth, time, required: true)!)
        {
            Email = body.Email is null ? null : EmailAddress.Normalise(body.Email),
            Address = HealthIdHttp.Address(body.Address, body.District, body.State, body.PinCode),
            AssistedBy = assistedBy,
            Consent = consent,
        };
        await otpService.VerifyAsync(otp.TxnId!, OtpPurpose.MobileEnrolment, otp.OtpValue!.Trim(), ct);
        var account = await enrolment.EnrolByMobileAsync(otp.TxnId!, details, ct);
        var tokens = HealthIdHttp.Tokens(await sessions.IssueAsync(account.AbhaNumber, ct));
        return new EnrolmentResponse("Account created successfully", otp.TxnId, tokens, account.ToProfile(), IsNew: true);
    }
}
