using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// Shared body of the public and the assisted OTP request: Aadhaar (e-KYC OTP) or mobile (our OTP). With the
/// <c>txnId</c> of an earlier request (and the same <c>loginId</c>) it is a resend: a new code for that transaction.
/// </summary>
public sealed class EnrolmentOtpRequests(IAadhaarKyc kyc, OtpService otp, SensitiveFields fields)
{
    public async Task<OtpRequestResponse> RequestAsync(OtpRequest body, CancellationToken ct)
    {
        var hint = HealthIdHttp.Require(body.LoginHint, "loginHint").ToLowerInvariant();
        var loginId = await fields.LoginIdAsync(body, ct);
        switch (hint)
        {
            case "aadhaar":
                var aadhaar = AadhaarNumber.Parse(loginId);
                var sent = string.IsNullOrWhiteSpace(body.TxnId)
                    ? await kyc.SendOtpAsync(aadhaar, ct)
                    : await kyc.ResendOtpAsync(body.TxnId, aadhaar, ct);
                return new OtpRequestResponse(sent.TxnId, sent.Message, sent.ExpiresAt);
            case "mobile":
                var mobile = MobileNumber.Parse(loginId);
                var issued = string.IsNullOrWhiteSpace(body.TxnId)
                    ? await otp.RequestAsync(OtpPurpose.MobileEnrolment, mobile, null, null, ct)
                    : await otp.ResendAsync(body.TxnId, OtpPurpose.MobileEnrolment, mobile, ct);
                return new OtpRequestResponse(issued.TxnId, issued.Message, issued.ExpiresAt);
            default:
                throw HealthIdHttp.Invalid(ErrorCodes.InvalidRequest, "loginHint must be aadhaar or mobile.");
        }
    }
}

public sealed class RequestEnrolmentOtp(EnrolmentOtpRequests requests)
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
        return new OkObjectResult(await requests.RequestAsync(body, ct));
    }
}

public sealed class EnrolByAadhaar(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields)
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
        return new OkObjectResult(await Enrol(enrolment, sessions, fields, body, assistedBy: null, ct));
    }

    internal static async Task<EnrolmentResponse> Enrol(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields,
        EnrolByAadhaarRequest body, AssistedEnrolment? assistedBy, CancellationToken ct)
    {
        var otp = await fields.OtpAsync(body.AuthData, ct);
        HealthIdHttp.RequireConsent(body.Consent);
        var result = await enrolment.EnrolByAadhaarAsync(otp.TxnId!, otp.OtpValue!.Trim(), assistedBy, ct);
        var tokens = await sessions.IssueAsync(result.Account.AbhaNumber, ct);
        return new EnrolmentResponse(result.IsNew ? "Account created successfully" : "This account already exists",
            otp.TxnId, tokens, result.Account.ToProfile(), result.IsNew);
    }
}

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
        HealthIdHttp.RequireConsent(body.Consent);
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
        };
        await otpService.VerifyAsync(otp.TxnId!, OtpPurpose.MobileEnrolment, otp.OtpValue!.Trim(), ct);
        var account = await enrolment.EnrolByMobileAsync(otp.TxnId!, details, ct);
        var tokens = await sessions.IssueAsync(account.AbhaNumber, ct);
        return new EnrolmentResponse("Account created successfully", otp.TxnId, tokens, account.ToProfile(), IsNew: true);
    }
}

public sealed class AssistedRequestEnrolmentOtp(EnrolmentOtpRequests requests)
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
        return new OkObjectResult(await requests.RequestAsync(body, ct));
    }
}

public sealed class AssistedEnrolByAadhaar(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields)
{
    [Function(nameof(AssistedEnrolByAadhaar))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Assisted enrolment by Aadhaar OTP, recorded with the health worker's id (and facility claim when present).",
        Request = typeof(EnrolByAadhaarRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/enrol/byAadhaar")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<EnrolByAadhaarRequest>(ct);
        return new OkObjectResult(await EnrolByAadhaar.Enrol(enrolment, sessions, fields, body, Assisted(caller), ct));
    }

    internal static AssistedEnrolment Assisted(CallerIdentity caller) =>
        new(caller.Subject, caller.Claims.GetValueOrDefault("facilityId"));
}

public sealed class AssistedEnrolByMobile(AbhaEnrolmentService enrolment, OtpService otpService, PatientSessions sessions, SensitiveFields fields,
    TimeProvider time)
{
    [Function(nameof(AssistedEnrolByMobile))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Assisted mobile-OTP enrolment, recorded with the health worker's id.",
        Request = typeof(EnrolByMobileRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/enrol/byMobile")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<EnrolByMobileRequest>(ct);
        return new OkObjectResult(await EnrolByMobile.Enrol(enrolment, otpService, sessions, fields, time, body,
            AssistedEnrolByAadhaar.Assisted(caller), ct));
    }
}
