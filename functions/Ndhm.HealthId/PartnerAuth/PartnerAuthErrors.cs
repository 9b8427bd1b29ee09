using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>The errors of patient authentication for partners, with ABDM's codes beside the platform's.</summary>
public static class PartnerAuthErrors
{
    public const string PatientNotFound = "PATIENT_NOT_FOUND";
    public const string AuthModeNotSupported = "AUTH_MODE_NOT_SUPPORTED";
    public const string AuthTransactionNotFound = "AUTH_TRANSACTION_NOT_FOUND";
    public const string AuthTransactionExpired = "AUTH_TRANSACTION_EXPIRED";
    public const string DemographicsMismatch = "DEMOGRAPHICS_MISMATCH";
    public const string CredentialRequired = "CREDENTIAL_REQUIRED";
    public const string AuthTransactionDecided = "AUTH_TRANSACTION_DECIDED";
    public const string ConfirmNotForDirect = "CONFIRM_NOT_FOR_DIRECT";
    public const string AuthNotificationNotFound = "AUTH_NOTIFICATION_NOT_FOUND";

    /// <summary>No active ABHA with this number or address (unknown, malformed, deactivated and deleted alike).</summary>
    public static DomainException NotFound() =>
        AbdmErrors.Error(ErrorKind.NotFound, AbdmErrors.InvalidPatient, PatientNotFound, "Invalid ABHA Number or ABHA Address",
            "No active ABHA account has this number or address.");

    public static DomainException ModeNotSupported(AuthMode mode) =>
        AbdmErrors.Invalid(AbdmErrors.InvalidAuthMode, AuthModeNotSupported, "Authentication mode not supported for this patient",
            $"{mode} is not among the modes users/auth/fetch-modes offers for this patient and purpose.");

    public static DomainException TransactionNotFound() =>
        AbdmErrors.Error(ErrorKind.NotFound, AbdmErrors.InvalidTransactionId, AuthTransactionNotFound, "Invalid transaction id",
            "No open authentication transaction of this partner has this transactionId.");

    public static DomainException TransactionExpired() =>
        AbdmErrors.Error(ErrorKind.Gone, AbdmErrors.OtpExpired, AuthTransactionExpired, "Authentication transaction expired",
            "Start again with users/auth/init.");

    /// <summary>The patient already answered this DIRECT request the other way.</summary>
    public static DomainException Decided(PartnerAuthStatus status) =>
        AbdmErrors.Error(ErrorKind.Conflict, AbdmErrors.InvalidTransactionId, AuthTransactionDecided, "Authentication request already answered",
            $"This request was already {(status == PartnerAuthStatus.Denied ? "denied" : "approved")}; the partner has been told.");

    /// <summary>users/auth/confirm on a DIRECT transaction: the patient approves in their app, there is nothing to confirm.</summary>
    public static DomainException NotForDirect() =>
        AbdmErrors.Invalid(AbdmErrors.InvalidAuthMode, ConfirmNotForDirect, "DIRECT transactions are not confirmed by the partner",
            "The patient approves or denies in their app; the answer comes in users/auth/notify.");

    /// <summary>users/auth/on-notify naming no users/auth/notify sent to this partner.</summary>
    public static DomainException NotificationNotFound() =>
        AbdmErrors.Error(ErrorKind.NotFound, AbdmErrors.InvalidRequestId, AuthNotificationNotFound, "No such notification was sent to this partner",
            "resp.requestId must be the requestId of a users/auth/notify sent to you.");

    public static DomainException Mismatch(int attemptsLeft) =>
        AbdmErrors.Invalid(AbdmErrors.DemographicsMismatch, DemographicsMismatch, "Demographic details do not match",
            $"Name, gender and year of birth must be as the ABHA holds them; {attemptsLeft} attempts left.");

    public static DomainException CredentialMissing(AuthMode mode) =>
        AbdmErrors.Invalid(AbdmErrors.InvalidRequest, CredentialRequired, "Credential required",
            mode == AuthMode.Demographics ? "credential.demographic (name, gender, dateOfBirth) is required." : "credential.authCode is required.");

    /// <summary>The ABDM code of an OTP failure from <see cref="Otp.OtpService"/>.</summary>
    public static DomainException FromOtp(DomainException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var abdm = e.Code switch
        {
            HealthIdErrors.OtpInvalid => AbdmErrors.InvalidOtp,
            HealthIdErrors.OtpExpired => AbdmErrors.OtpExpired,
            HealthIdErrors.OtpAttemptsExceeded => AbdmErrors.OtpAttemptsExceeded,
            HealthIdErrors.OtpRateLimited => AbdmErrors.TooManyRequests,
            HealthIdErrors.OtpAlreadyUsed or HealthIdErrors.TxnNotFound => AbdmErrors.InvalidTransactionId,
            _ => null,
        };
        if (abdm is null) return e;
        var extensions = new Dictionary<string, object?>(e.Extensions) { [AbdmErrors.ExtensionKey] = abdm };
        return new DomainException(e.Kind, e.Code, e.Title, e.Detail, extensions, e) { RetryAfterSeconds = e.RetryAfterSeconds };
    }
}
