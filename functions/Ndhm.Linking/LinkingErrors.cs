using Ndhm.Core.Errors;

namespace Ndhm.Linking;

/// <summary>
/// Linking's stable error codes, each with the ABDM code it corresponds to (carried as <c>abdmCode</c> in
/// problem+json and as <c>error.code</c> in callbacks to partners).
/// </summary>
public static class LinkingErrors
{
    public const string HipUnknown = "HIP_NOT_FOUND";
    public const string DiscoveryInProgress = "DISCOVERY_IN_PROGRESS";
    public const string DiscoveryNotFound = "DISCOVERY_NOT_FOUND";
    public const string DiscoveryNotReady = "DISCOVERY_NOT_COMPLETE";
    public const string CareContextsNotDiscovered = "CARE_CONTEXTS_NOT_DISCOVERED";
    public const string InvalidCareContexts = "INVALID_CARE_CONTEXTS";
    public const string AlreadyLinked = "CARE_CONTEXT_ALREADY_LINKED";
    public const string LinkRequestNotFound = "LINK_REFERENCE_NOT_FOUND";
    public const string LinkNotAwaitingOtp = "LINK_NOT_AWAITING_OTP";
    public const string OtpExpired = "LINK_OTP_EXPIRED";
    public const string OtpInvalid = "LINK_OTP_INVALID";
    public const string LinkNotFound = "LINK_NOT_FOUND";
    public const string InvalidLinkToken = "INVALID_LINK_TOKEN";
    public const string PatientNotFound = "PATIENT_NOT_FOUND";
    public const string InvalidRequest = ErrorCodes.InvalidRequest;

    /// <summary>ABDM's published codes used on these paths.</summary>
    public static class Abdm
    {
        public const string InvalidRequestId = "ABDM-1030";
        public const string InvalidHip = "ABDM-1035";
        public const string InvalidToken = "ABDM-1066";
        public const string DuplicateDiscovery = "ABDM-1103";
        public const string AlreadyLinked = "ABDM-1056";
        public const string HipUnavailable = "ABDM-1401";
        public const string InvalidRequest = "ABDM-1017";
        public const string PatientNotFound = "ABDM-1009";
        public const string OtpExpired = "ABDM-1013";
        public const string OtpInvalid = "ABDM-1012";
    }

    public static DomainException Error(ErrorKind kind, string code, string abdmCode, string title, string? detail = null) =>
        new(kind, code, title, detail, new Dictionary<string, object?> { ["abdmCode"] = abdmCode });

    public static DomainException Invalid(string detail) =>
        Error(ErrorKind.Validation, InvalidRequest, Abdm.InvalidRequest, "The request is invalid.", detail);

    public static DomainException NoSuchHip() =>
        Error(ErrorKind.NotFound, HipUnknown, Abdm.InvalidHip, "No HIP has this id.",
            "hipId must name an active HIP partner or a facility a HIP partner serves.");

    public static DomainException NoSuchDiscovery() =>
        Error(ErrorKind.NotFound, DiscoveryNotFound, Abdm.InvalidRequestId, "No such discovery.", "Unknown transactionId.");

    public static DomainException NoSuchLinkRequest() =>
        Error(ErrorKind.NotFound, LinkRequestNotFound, Abdm.InvalidRequestId, "No such link reference.",
            "The link reference number is unknown, or belongs to another patient or HIP.");

    public static DomainException NoSuchPatient() =>
        Error(ErrorKind.NotFound, PatientNotFound, Abdm.PatientNotFound, "No such patient.", "No active ABHA account has this ABHA address or number.");

    public static DomainException BadLinkToken() =>
        Error(ErrorKind.Unauthenticated, InvalidLinkToken, Abdm.InvalidToken, "Invalid or expired link token.",
            "Ask for a new link token with /v3/token/generate-token.");

    public static DomainException AlreadyLinkedError(string reference) =>
        Error(ErrorKind.Conflict, AlreadyLinked, Abdm.AlreadyLinked, "Care context already linked.",
            $"Care context '{reference}' is already linked to this ABHA address at this HIP.");
}
