using Ndhm.Core.Abdm;
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

    /// <summary>The ABDM codes used on these paths (the platform-wide catalogue, <see cref="AbdmErrors"/>).</summary>
    public static class Abdm
    {
        public const string InvalidTransactionId = AbdmErrors.InvalidTransactionId;
        public const string InvalidHip = AbdmErrors.InvalidHip;
        public const string InvalidToken = AbdmErrors.InvalidToken;
        public const string DuplicateDiscovery = AbdmErrors.DuplicateDiscovery;
        public const string AlreadyLinked = AbdmErrors.CareContextAlreadyLinked;
        public const string HipUnavailable = AbdmErrors.HipUnavailable;
        public const string InvalidRequest = AbdmErrors.InvalidRequest;
        public const string PatientNotFound = AbdmErrors.InvalidPatient;
        public const string OtpExpired = AbdmErrors.OtpExpired;
        public const string OtpInvalid = AbdmErrors.InvalidOtp;
        public const string NotFound = AbdmErrors.NotFound;
    }

    public static DomainException Error(ErrorKind kind, string code, string abdmCode, string title, string? detail = null) =>
        AbdmErrors.Error(kind, abdmCode, code, title, detail);

    public static DomainException Invalid(string detail) =>
        Error(ErrorKind.Validation, InvalidRequest, Abdm.InvalidRequest, "The request is invalid.", detail);

    public static DomainException NoSuchHip() =>
        Error(ErrorKind.NotFound, HipUnknown, Abdm.InvalidHip, "No HIP has this id.",
            "hipId must name an active HIP partner or a facility a HIP partner serves.");

    public static DomainException NoSuchDiscovery() =>
        Error(ErrorKind.NotFound, DiscoveryNotFound, Abdm.InvalidTransactionId, "No such discovery.", "Unknown transactionId.");

    public static DomainException NoSuchLinkRequest() =>
        Error(ErrorKind.NotFound, LinkRequestNotFound, Abdm.NotFound, "No such link reference.",
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
