using Ndhm.Core.RateLimits;

namespace Ndhm.Triggers.Http;

/// <summary>What a rate-limit counter is keyed by.</summary>
public enum RateLimitKeyKind
{
    /// <summary>The authenticated caller (partner client id, else token subject); the client IP for anonymous callers.</summary>
    Caller,
    /// <summary>The client's IP address, whoever the caller claims to be.</summary>
    ClientIp,
    /// <summary>A route value (the identifier looked up), normalised so formatting variants count as one.</summary>
    RouteValue,
    /// <summary>A top-level string field of the JSON request body (the client id of a session request).</summary>
    BodyField,
}

/// <param name="Name">The route value or body field name for <see cref="RateLimitKeyKind.RouteValue"/> and <see cref="RateLimitKeyKind.BodyField"/>.</param>
public sealed record RateLimitRule(string Policy, RateLimitKeyKind Key, string? Name = null);

/// <summary>
/// Which abuse limits the HTTP gate applies before a function runs, by operationId (the function name). The
/// gate counts before the function reads anything, so a refused request costs no lookup and answers the same
/// whether the identifier it names exists or not. Limits on identifiers inside request bodies that only a service
/// understands (a mobile number, an ABHA number to log in with) belong to that service.
/// </summary>
public static class OperationRateLimits
{
    private static readonly RateLimitRule[] OtpRequest = [new(RateLimitPolicies.OtpRequest, RateLimitKeyKind.Caller)];
    private static readonly RateLimitRule[] OtpVerification = [new(RateLimitPolicies.OtpVerification, RateLimitKeyKind.Caller)];
    private static readonly RateLimitRule[] Login = [new(RateLimitPolicies.Login, RateLimitKeyKind.Caller)];
    private static readonly RateLimitRule[] RegistrySearch = [new(RateLimitPolicies.RegistrySearch, RateLimitKeyKind.Caller)];

    public static IReadOnlyDictionary<string, IReadOnlyList<RateLimitRule>> ByOperation { get; } =
        new Dictionary<string, IReadOnlyList<RateLimitRule>>(StringComparer.OrdinalIgnoreCase)
        {
            ["RequestEnrolmentOtp"] = OtpRequest,
            ["AssistedRequestEnrolmentOtp"] = OtpRequest,
            ["RequestLoginOtp"] = OtpRequest,
            ["RequestMobileChangeOtp"] = OtpRequest,
            ["RequestEmailVerificationOtp"] = OtpRequest,
            ["RequestAccountConfirmationOtp"] = OtpRequest,

            ["EnrolByAadhaar"] = OtpVerification,
            ["EnrolByMobile"] = OtpVerification,
            ["AssistedEnrolByAadhaar"] = OtpVerification,
            ["AssistedEnrolByMobile"] = OtpVerification,
            ["EnrolByDocument"] = OtpVerification,
            ["AssistedEnrolByBiometric"] = OtpVerification,
            // Up to 100 enrolments per call: the worker's budget counts calls, the batch size bounds each.
            ["UploadDemographicBatch"] = OtpVerification,
            ["AssistedRequestMobileLinkOtp"] = OtpRequest,
            ["AssistedLinkMobile"] = OtpVerification,
            ["DecideDocumentReview"] = OtpVerification,
            ["VerifyLoginOtp"] = OtpVerification,
            ["StartWebSession"] = OtpVerification,
            ["EnrolWebSession"] = OtpVerification,
            ["VerifyMobileChange"] = OtpVerification,
            ["VerifyEmail"] = OtpVerification,
            ["DeactivateAbha"] = OtpVerification,
            ["DeleteAbha"] = OtpVerification,
            ["ConfirmCareContextLink"] = OtpVerification,

            ["SelectLoginAccount"] = Login,
            ["RefreshPatientToken"] = Login,
            ["RefreshWebSession"] = Login,
            // DIRECT partner authentication: the patient's app lists and decides a partner's login request, a login step without an OTP.
            ["ListMyAuthRequests"] = Login,
            ["ApproveAuthRequest"] = Login,
            ["DenyAuthRequest"] = Login,

            // ABDM patient lookups by partners: the same per-partner budget as an ABHA verification.
            // A partner serves many patients: one per-partner budget for the lookups. The targets are protected inside:
            // OTPs by Health ID's window per mobile, guesses by the attempt limit of each transaction.
            ["UserAuthFetchModes"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],
            ["PatientsFind"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],
            ["UserAuthInit"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],
            ["UserAuthConfirm"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],
            // A consent request looks its patient up by ABHA address: the same budget.
            ["ConsentRequestInit"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],
            ["SubscriptionRequestInit"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],
            ["HealthInformationRequest"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller)],

            ["VerifyAbha"] =
            [
                new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.Caller),
                new(RateLimitPolicies.PartnerLookupTarget, RateLimitKeyKind.RouteValue, "numberOrAddress"),
            ],

            ["SearchFacilities"] = RegistrySearch,
            ["QueryAnalyticsAggregates"] = RegistrySearch,
            ["SearchProfessionals"] = RegistrySearch,
            ["TeleconsultSearch"] = RegistrySearch,
            ["ListDocumentReviews"] = RegistrySearch,
            ["GetDocumentReview"] = RegistrySearch,
            ["GetEnrolmentConsent"] = RegistrySearch,

            ["ExportMyData"] = [new(RateLimitPolicies.DataExport, RateLimitKeyKind.Caller)],

            // The patient's health record: reads per caller, uploads (heavy: up to 10 MiB scanned and encrypted) tighter.
            ["ListMyHealthRecords"] = [new(RateLimitPolicies.HealthRecords, RateLimitKeyKind.Caller)],
            ["GetMyHealthRecord"] = [new(RateLimitPolicies.HealthRecords, RateLimitKeyKind.Caller)],
            ["GetMyHealthRecordAttachment"] = [new(RateLimitPolicies.HealthRecords, RateLimitKeyKind.Caller)],
            ["DeleteMyHealthDocument"] = [new(RateLimitPolicies.HealthRecords, RateLimitKeyKind.Caller)],
            // Each pull makes a consent and a transfer: as sparing as uploads. Pushes come from HIPs (no caller): by client IP.
            ["RequestMyHealthRecords"] = [new(RateLimitPolicies.HealthRecordUpload, RateLimitKeyKind.Caller)],
            ["ReceivePhrDataPush"] = [new(RateLimitPolicies.PartnerLookup, RateLimitKeyKind.ClientIp)],
            ["ListMyDataSharing"] = [new(RateLimitPolicies.HealthRecords, RateLimitKeyKind.Caller)],
            ["EraseExpiredHealthRecordsNow"] = [new(RateLimitPolicies.HealthRecords, RateLimitKeyKind.Caller)],
            ["UploadMyHealthDocument"] = [new(RateLimitPolicies.HealthRecordUpload, RateLimitKeyKind.Caller)],

            // A migration rewrites a whole store a page (up to 1000 items) per call: a loop runs at most 2 pages/s per admin, bounding the write load.
            ["RunDataMigration"] = [new(RateLimitPolicies.Maintenance, RateLimitKeyKind.Caller)],

            ["CreateSession"] =
            [
                new(RateLimitPolicies.SessionIp, RateLimitKeyKind.ClientIp),
                new(RateLimitPolicies.SessionClient, RateLimitKeyKind.BodyField, "clientId"),
            ],
            // The analytics dashboard's sign-in checks the same client credentials.
            ["StartAnalyticsSession"] =
            [
                new(RateLimitPolicies.SessionIp, RateLimitKeyKind.ClientIp),
                new(RateLimitPolicies.SessionClient, RateLimitKeyKind.BodyField, "clientId"),
            ],
        };

    public static IReadOnlyList<RateLimitRule> For(string operationId) =>
        ByOperation.TryGetValue(operationId, out var rules) ? rules : [];
}
