using Ndhm.Core.Errors;

namespace Ndhm.HealthId;

/// <summary>
/// The stable error codes of the Health ID capability. Clients switch on these, so never rename one; the
/// <c>detail</c> of each error says what exactly was wrong and never repeats personal data back.
/// </summary>
public static class HealthIdErrors
{
    public const string AbhaChecksum = "ABHA_CHECKSUM";
    public const string AbhaNumberInvalid = "ABHA_NUMBER_INVALID";
    public const string AbhaNumberUnavailable = "ABHA_NUMBER_UNAVAILABLE";
    public const string AbhaAddressInvalid = "ABHA_ADDRESS_INVALID";
    public const string AbhaAddressTaken = "ABHA_ADDRESS_TAKEN";
    public const string AbhaAddressNotLinked = "ABHA_ADDRESS_NOT_LINKED";
    public const string MobileInvalid = "MOBILE_INVALID";
    public const string AadhaarInvalid = "AADHAAR_INVALID";
    public const string KycNotFound = "KYC_NOT_FOUND";
    public const string EmailInvalid = "EMAIL_INVALID";
    public const string PincodeInvalid = "PINCODE_INVALID";
    public const string PostalAddressInvalid = "POSTAL_ADDRESS_INVALID";
    public const string NameInvalid = "NAME_INVALID";
    public const string GenderInvalid = "GENDER_INVALID";
    public const string DobInvalid = "DOB_INVALID";
    public const string AccountDeactivated = "ACCOUNT_DEACTIVATED";
    public const string AccountDeleted = "ACCOUNT_DELETED";
    public const string AccountStateInvalid = "ACCOUNT_STATE_INVALID";
    public const string ProfileFieldLocked = "PROFILE_FIELD_LOCKED";
    public const string MobileNotLinked = "MOBILE_NOT_LINKED";

    public const string OtpInvalid = "OTP_INVALID";
    public const string OtpExpired = "OTP_EXPIRED";
    public const string OtpAttemptsExceeded = "OTP_ATTEMPTS_EXCEEDED";
    public const string OtpResendTooSoon = "OTP_RESEND_TOO_SOON";
    public const string OtpRateLimited = "OTP_RATE_LIMITED";
    public const string OtpAlreadyUsed = "OTP_ALREADY_USED";
    public const string TxnNotFound = "TXN_NOT_FOUND";

    public static DomainException AbhaNotFound() =>
        new(ErrorKind.NotFound, ErrorCodes.NotFound, "ABHA not found", "No ABHA account has this number or address.");

    public static DomainException AbhaDeleted() =>
        new(ErrorKind.Gone, AccountDeleted, "ABHA deleted", "This ABHA number was deleted at its holder's request and is retired.");

    /// <summary>400 INVALID_REQUEST: a request field is missing or not one of the allowed values.</summary>
    public static DomainException InvalidRequest(string detail) =>
        new(ErrorKind.Validation, ErrorCodes.InvalidRequest, "The request is invalid", detail);

    /// <summary>The trimmed value of a required request field, or 400 INVALID_REQUEST naming it.</summary>
    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw InvalidRequest($"{field} is required.") : value.Trim();

    internal static DomainException Invalid(string code, string title, string detail) =>
        new(ErrorKind.Validation, code, title, detail);
}
