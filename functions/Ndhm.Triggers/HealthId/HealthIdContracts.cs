using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Accounts;

namespace Ndhm.Triggers.HealthId;

// Request and response shapes, named as ABDM's ABHA v3 APIs name them where we do the same job.

/// <summary>ABDM <c>request/otp</c>: <c>loginHint</c> aadhaar or mobile (enrolment), abha-number, abha-address or
/// mobile (login); <c>loginId</c> the value, plain or RSA-encrypted as ABDM sends it (see <see cref="SensitiveFields"/>). <c>txnId</c> asks for a resend.</summary>
public sealed record OtpRequest(IReadOnlyList<string>? Scope, string? LoginHint, string? LoginId, string? OtpSystem, string? TxnId);

public sealed record OtpRequestResponse(string TxnId, string Message, DateTimeOffset ExpiresAt);

public sealed record OtpAuth(string? TxnId, string? OtpValue, string? Mobile);

public sealed record AuthData(IReadOnlyList<string>? AuthMethods, OtpAuth? Otp);

/// <summary>ABDM's <c>consent</c>; <c>language</c> (ours) names the text shown, English when absent (GET v3/enrollment/consent).</summary>
public sealed record EnrolmentConsent(string? Code, string? Version, string? Language = null);

/// <summary>The enrolment consent text in one language, with the languages its version exists in.</summary>
public sealed record EnrolmentConsentTextResponse(string Code, string Version, string Language, string Title,
    IReadOnlyList<string> Text, IReadOnlyList<string> Languages);

/// <summary>ABDM <c>enrol/byAadhaar</c>.</summary>
public sealed record EnrolByAadhaarRequest(AuthData? AuthData, EnrolmentConsent? Consent);

/// <summary>Mobile-only enrolment: the OTP sent to <c>mobile</c> plus self-declared demographics (KYC UNVERIFIED).</summary>
public sealed record EnrolByMobileRequest(
    AuthData? AuthData, EnrolmentConsent? Consent, string? FirstName, string? MiddleName, string? LastName, string? Gender,
    int? YearOfBirth, int? MonthOfBirth, int? DayOfBirth, string? Email, string? Address, string? District, string? State,
    string? PinCode);

public sealed record PatientTokens(string Token, int ExpiresIn, string RefreshToken, int RefreshExpiresIn);

public sealed record EnrolmentResponse(
    string Message, string? TxnId, PatientTokens Tokens, [property: JsonPropertyName("ABHAProfile")] AbhaProfile AbhaProfile, bool IsNew);

public sealed record AbhaAddressSuggestions(string? TxnId, IReadOnlyList<string> AbhaAddressList);

/// <summary>ABDM <c>enrol/abha-address</c>.</summary>
public sealed record CreateAbhaAddressRequest(string? AbhaAddress, bool? Preferred);

public sealed record PreferredAbhaAddressRequest(string? AbhaAddress);

/// <summary>Login verify: the OTP of a login transaction.</summary>
public sealed record LoginVerifyRequest(AuthData? AuthData);

/// <summary>When one mobile carries several ABHAs: which one to log in to, with the user token from the verify step.</summary>
public sealed record LoginSelectRequest(string? UserToken, string? AbhaNumber);

public sealed record LinkedAccount([property: JsonPropertyName("ABHANumber")] string AbhaNumber, string? Name, string? PreferredAbhaAddress);

public sealed record LoginResponse(string Message, PatientTokens? Tokens, [property: JsonPropertyName("ABHAProfile")] AbhaProfile? AbhaProfile,
    IReadOnlyList<LinkedAccount>? Accounts, string? UserToken);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ProfileUpdateRequest(
    string? FirstName, string? MiddleName, string? LastName, string? Gender, int? YearOfBirth, int? MonthOfBirth, int? DayOfBirth,
    string? Email, string? Address, string? District, string? State, string? PinCode);

public sealed record MobileChangeRequest(string? Mobile);

public sealed record MobileChangeVerifyRequest(AuthData? AuthData);

/// <summary>What a partner's verification lookup returns: the minimum to match a person to a number.</summary>
public sealed record AbhaVerificationResponse(
    [property: JsonPropertyName("ABHANumber")] string AbhaNumber, string? Name, string? Gender, int? YearOfBirth, string AbhaStatus,
    string? PreferredAbhaAddress);

/// <summary>Deactivation and deletion: the OTP of a <c>v3/profile/account/request/otp</c> transaction for that action.</summary>
public sealed record AccountConfirmationRequest(AuthData? AuthData);

public sealed record AccountStatusResponse([property: JsonPropertyName("ABHANumber")] string AbhaNumber, string AbhaStatus);

public sealed record OtpOutboxEntry(string TxnId, string Otp, string Purpose, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

public sealed record OtpOutboxResponse(string Mobile, IReadOnlyList<OtpOutboxEntry> Messages);

/// <summary>
/// ABDM <c>enrol/byDocument</c>: the mobile OTP (<c>authData.otp</c> with <c>mobile</c>, as for byMobile), the document
/// (DRIVING_LICENCE) with its number, the name, birth date (<c>dob</c> yyyy-MM-dd) and gender as printed on it, base64
/// JPEG/PNG photos of both sides and optionally a selfie, and the consent.
/// The photo fields may be as long as a base64 photo the domain accepts (<see cref="DocumentPhoto.MaxBytes"/>) and a
/// little beyond, so that an oversized photo gets DOCUMENT_PHOTO_TOO_LARGE rather than the generic text limit.
/// </summary>
public sealed record EnrolByDocumentRequest(
    AuthData? AuthData, EnrolmentConsent? Consent, string? DocumentType, string? DocumentId, string? FirstName, string? MiddleName,
    string? LastName, string? Dob, string? Gender,
    [property: MaxLength(EnrolByDocumentRequest.MaxPhotoChars)] string? FrontSidePhoto,
    [property: MaxLength(EnrolByDocumentRequest.MaxPhotoChars)] string? BackSidePhoto,
    [property: MaxLength(EnrolByDocumentRequest.MaxPhotoChars)] string? Selfie,
    string? Email, string? Address, string? District, string? State, string? PinCode)
{
    public const int MaxPhotoChars = 400_000;
}

public sealed record DocumentReviewListItem([property: JsonPropertyName("ABHANumber")] string AbhaNumber, string DocumentType, DateTimeOffset SubmittedAt);

public sealed record DocumentReviewList(IReadOnlyList<DocumentReviewListItem> Reviews);

/// <summary>One review as a verifier sees it: the submitted details and the photos (base64) while it is pending.</summary>
public sealed record DocumentReviewResponse(
    [property: JsonPropertyName("ABHANumber")] string AbhaNumber, string DocumentType, string State, DateTimeOffset SubmittedAt,
    string? FirstName, string? MiddleName, string? LastName, string? Dob, string? Gender, string? FrontSidePhoto, string? BackSidePhoto,
    string? Selfie, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecidedAtFacility, string? Reason);

/// <summary><c>decision</c> APPROVE or REJECT; <c>reason</c> required to reject.</summary>
public sealed record DocumentReviewDecisionRequest(string? Decision, string? Reason);

/// <summary>
/// <c>authData.bio</c> of a biometric enrolment: the Aadhaar number (plain or RSA-encrypted like <c>loginId</c>), the
/// modality (<c>bioType</c> FINGERPRINT, IRIS or FACE) and the registered device's encrypted PID block (base64), passed
/// to UIDAI as received.
/// </summary>
public sealed record BiometricAuth(string? Aadhaar, string? BioType,
    [property: MaxLength(Ndhm.HealthId.Kyc.BiometricErrors.MaxPidChars)] string? Pid);

public sealed record BiometricAuthData(IReadOnlyList<string>? AuthMethods, BiometricAuth? Bio);

/// <summary>Assisted biometric enrolment (<c>authMethods</c> ["bio"]).</summary>
public sealed record EnrolByBiometricRequest(BiometricAuthData? AuthData, EnrolmentConsent? Consent);

/// <summary>
/// An offline demographic batch (outreach camp) uploaded by a health worker of a verified facility. <c>records</c> takes
/// more than the usual 100 entries through the input policy so that an oversized batch gets its own code
/// (<c>BATCH_TOO_LARGE</c>, at most <see cref="Ndhm.HealthId.Demographic.DemographicEnrolmentService.MaxRecords"/>).
/// </summary>
public sealed record DemographicBatchRequest(string? BatchId, string? Programme,
    [property: System.ComponentModel.DataAnnotations.MaxLength(1000)] IReadOnlyList<Ndhm.HealthId.Demographic.OfflineDemographicRecord>? Records);

/// <summary>The batch's result: every record ACCEPTED with its ABHA number or REJECTED with a reason code; the same on every re-upload.</summary>
public sealed record DemographicBatchResponse(string BatchId, string Programme, string Status, int Received, int Accepted, int Rejected,
    IReadOnlyList<Ndhm.HealthId.Demographic.DemographicRecordResult> Results, DateTimeOffset? CompletedAt, bool Replayed);

/// <summary>The email to verify for the caller's profile (an OTP is sent to it).</summary>
public sealed record EmailVerificationRequest(string? Email);

/// <summary>The email again (it must be the one the OTP went to) and the OTP, as ABDM's <c>authData.otp</c>.</summary>
public sealed record EmailVerifyRequest(string? Email, AuthData? AuthData);

/// <summary>Sandbox only: the OTPs "sent" to an email address, newest first (the address is not echoed).</summary>
public sealed record EmailOutboxResponse(IReadOnlyList<OtpOutboxEntry> Messages);
