using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetAbhaProfile(AbhaAccountLookup lookup)
{
    [Function(nameof(GetAbhaProfile))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's ABHA profile (PATIENT token; sub = the ABHA number).", Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/account")] HttpRequest req,
        CancellationToken ct)
    {
        var stored = await lookup.RequireAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        if (stored.Document.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
        return new OkObjectResult(stored.Document.ToProfile());
    }
}

public sealed class UpdateAbhaProfile(AbhaAccountService accounts, TimeProvider time)
{
    [Function(nameof(UpdateAbhaProfile))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Update the caller's profile: email and postal address always; name, gender, birth date only without Aadhaar KYC.",
        Request = typeof(ProfileUpdateRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v3/profile/account")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<ProfileUpdateRequest>(ct);
        var nameGiven = body.FirstName is not null || body.MiddleName is not null || body.LastName is not null;
        var update = new AbhaProfileUpdate
        {
            Name = nameGiven ? PersonName.Create(body.FirstName, body.MiddleName, body.LastName) : null,
            Gender = body.Gender is null ? null : GenderCodes.Parse(body.Gender),
            DateOfBirth = HealthIdHttp.BirthDate(body.YearOfBirth, body.MonthOfBirth, body.DayOfBirth, time, required: false),
            Email = body.Email,
            Address = HealthIdHttp.Address(body.Address, body.District, body.State, body.PinCode),
        };
        var account = await accounts.UpdateProfileAsync(number, update, ct);
        return new OkObjectResult(account.ToProfile());
    }
}

public sealed class RequestMobileChangeOtp(AbhaAccountLookup lookup, OtpService otp, SensitiveFields fields)
{
    [Function(nameof(RequestMobileChangeOtp))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Send an OTP to a new mobile to re-verify it before it replaces the current one.",
        Request = typeof(MobileChangeRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/mobile/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<MobileChangeRequest>(ct);
        var mobile = MobileNumber.Parse(await fields.RequireAsync(body.Mobile, "mobile", ct));
        var account = (await lookup.RequireAsync(number, ct)).Document;
        if (account.Status != AbhaStatus.Active)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountStateInvalid, "Account is not active",
                "Only an active ABHA can change its mobile.");
        var issued = await otp.RequestAsync(OtpPurpose.MobileUpdate, mobile, null, number, ct);
        return new OkObjectResult(new OtpRequestResponse(issued.TxnId, issued.Message, issued.ExpiresAt));
    }
}

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

public sealed class GetAbhaAddressSuggestions(AbhaAccountLookup lookup, AbhaAddressSuggester suggester, IAbhaAddressAvailability availability)
{
    [Function(nameof(GetAbhaAddressSuggestions))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Free ABHA address suggestions from the caller's name and birth year (ABDM enrol/suggestion).",
        Response = typeof(AbhaAddressSuggestions), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/enrollment/enrol/suggestion")] HttpRequest req,
        CancellationToken ct)
    {
        var account = (await lookup.RequireAsync(HealthIdHttp.PatientNumber(req.Caller()), ct)).Document;
        if (account.Name is null || account.DateOfBirth is null)
            throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
        var suggestions = await suggester.SuggestAsync(account.Name.FirstName, account.Name.LastName, account.DateOfBirth.Year,
            availability, ct);
        return new OkObjectResult(new AbhaAddressSuggestions(req.Headers["TRANSACTION_ID"].FirstOrDefault(),
            suggestions.Select(a => a.Handle).ToList()));
    }
}

public sealed class CreateAbhaAddress(AbhaEnrolmentService enrolment)
{
    [Function(nameof(CreateAbhaAddress))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Claim and link an ABHA address (409 ABHA_ADDRESS_TAKEN when someone else holds it).",
        Request = typeof(CreateAbhaAddressRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/enrol/abha-address")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<CreateAbhaAddressRequest>(ct);
        var account = await enrolment.CreateAbhaAddressAsync(number, HealthIdHttp.Require(body.AbhaAddress, "abhaAddress"),
            body.Preferred ?? false, ct);
        return new OkObjectResult(account.ToProfile());
    }
}

public sealed class SetPreferredAbhaAddress(AbhaAccountService accounts, AbhaAddressOptions options)
{
    [Function(nameof(SetPreferredAbhaAddress))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Make one of the caller's linked ABHA addresses the preferred one.",
        Request = typeof(PreferredAbhaAddressRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/abha-address/preferred")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<PreferredAbhaAddressRequest>(ct);
        var address = AbhaAddress.Parse(HealthIdHttp.Require(body.AbhaAddress, "abhaAddress"), options.Suffix);
        var account = await accounts.SetPreferredAddressAsync(number, address, ct);
        return new OkObjectResult(account.ToProfile());
    }
}

public sealed class RequestAccountConfirmationOtp(AbhaAccountService accounts)
{
    [Function(nameof(RequestAccountConfirmationOtp))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Send the OTP that confirms deactivation (scope abha-profile, de-activate) or deletion (abha-profile, delete) to the account's verified mobile; with txnId: resend it.",
        Request = typeof(OtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<OtpRequest>(ct);
        var issued = await accounts.RequestConfirmationOtpAsync(number, HealthIdHttp.ConfirmationPurpose(body.Scope), body.TxnId, ct);
        return new OkObjectResult(new OtpRequestResponse(issued.TxnId, issued.Message, issued.ExpiresAt));
    }
}

public sealed class DeactivateAbha(AbhaAccountService accounts, SensitiveFields fields)
{
    [Function(nameof(DeactivateAbha))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Deactivate the caller's ABHA, confirmed by a fresh OTP (authData.otp of a de-activate request/otp); it stops resolving for verifiers, login still works to reactivate.",
        Request = typeof(AccountConfirmationRequest), Response = typeof(AccountStatusResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/deactivate")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var otp = await fields.ReadConfirmationAsync(req, ct);
        var account = await accounts.DeactivateAsync(number, otp.TxnId!, otp.OtpValue!.Trim(), ct);
        return new OkObjectResult(new AccountStatusResponse(account.AbhaNumber.Formatted, "DEACTIVATED"));
    }
}

public sealed class ReactivateAbha(AbhaAccountService accounts)
{
    [Function(nameof(ReactivateAbha))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Reactivate the caller's deactivated ABHA.", Response = typeof(AccountStatusResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/reactivate")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await accounts.ReactivateAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new OkObjectResult(new AccountStatusResponse(account.AbhaNumber.Formatted, "ACTIVE"));
    }
}

public sealed class DeleteAbha(AbhaAccountService accounts, SensitiveFields fields)
{
    [Function(nameof(DeleteAbha))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Erase the caller's ABHA, confirmed by a fresh OTP (authData.otp of a delete request/otp): personal data removed, the number retired for ever.",
        Request = typeof(AccountConfirmationRequest), Response = typeof(AccountStatusResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v3/profile/account")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var otp = await fields.ReadConfirmationAsync(req, ct);
        await accounts.EraseAsync(number, otp.TxnId!, otp.OtpValue!.Trim(), ct);
        return new OkObjectResult(new AccountStatusResponse(number.Formatted, "DELETED"));
    }
}
