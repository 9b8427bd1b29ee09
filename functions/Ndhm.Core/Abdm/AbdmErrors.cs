using Ndhm.Core.Errors;

namespace Ndhm.Core.Abdm;

/// <summary>
/// ABDM's published error codes (strings such as <c>ABDM-1030</c>, as in HIECM-LinkTokenService.yml) and the
/// platform's stable codes beside them. On <c>/api/v0.5/*</c> and <c>/api/v3/token/*</c> an error is rendered as
/// <c>{"error":{"code":"ABDM-1030","message":"...","ndhmCode":"INVALID_REQUEST_ID"}}</c>, in the HTTP answer and in
/// callbacks alike. A <see cref="DomainException"/> names its ABDM code in the extension <see cref="ExtensionKey"/>;
/// one without it is mapped from its platform code by <see cref="AbdmCodeFor"/>.
/// </summary>
public static class AbdmErrors
{
    /// <summary>The <see cref="DomainException.Extensions"/> key carrying the ABDM code.</summary>
    public const string ExtensionKey = "abdmCode";

    public const string Unknown = "ABDM-1000";
    public const string Unauthorized = "ABDM-1002";
    public const string InvalidTimestamp = "ABDM-1016";
    public const string InvalidRequest = "ABDM-1017";
    public const string DependencyUnavailable = "ABDM-1024";
    public const string Blocked = "ABDM-1027";
    public const string InvalidRequestId = "ABDM-1030";
    public const string SameHipAndHiu = "ABDM-1031";
    public const string InvalidCmId = "ABDM-1033";
    public const string InvalidHip = "ABDM-1035";
    public const string InvalidHiu = "ABDM-1036";
    public const string InvalidTransactionId = "ABDM-1040";
    public const string InvalidOtp = "ABDM-1041";
    public const string OtpExpired = "ABDM-1042";
    public const string OtpAttemptsExceeded = "ABDM-1043";
    public const string InvalidAuthMode = "ABDM-1044";
    public const string DemographicsMismatch = "ABDM-1045";
    public const string InvalidPatient = "ABDM-1051";
    public const string CareContextAlreadyLinked = "ABDM-1056";
    public const string ConsentExpired = "ABDM-1061";
    public const string ConsentNotGranted = "ABDM-1062";
    public const string InvalidDateRange = "ABDM-1063";
    public const string DuplicateRequestId = "ABDM-1064";
    public const string InvalidToken = "ABDM-1066";
    public const string NotFound = "ABDM-1068";
    public const string Forbidden = "ABDM-1069";
    public const string TooManyRequests = "ABDM-1070";
    public const string DuplicateDiscovery = "ABDM-1103";
    public const string HipUnavailable = "ABDM-1401";
    public const string NoAcknowledgement = "ABDM-1402";

    /// <summary>A domain error carrying both codes.</summary>
    public static DomainException Error(ErrorKind kind, string abdmCode, string ndhmCode, string message, string? detail = null) =>
        new(kind, ndhmCode, message, detail, new Dictionary<string, object?> { [ExtensionKey] = abdmCode });

    public static DomainException Invalid(string abdmCode, string ndhmCode, string message, string? detail = null) =>
        Error(ErrorKind.Validation, abdmCode, ndhmCode, message, detail);

    /// <summary>The ABDM code of an error: its own when it names one, else the closest for its platform code or kind.</summary>
    public static string AbdmCodeFor(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Extensions.TryGetValue(ExtensionKey, out var own) && own is string code) return code;
        return error.Code switch
        {
            // The gateway's stable codes (Ndhm.Gateway.GatewayErrors, the registry's facility codes).
            "MISSING_REQUEST_ID" or "INVALID_REQUEST_ID" => InvalidRequestId,
            "MISSING_TIMESTAMP" or "INVALID_TIMESTAMP" or "STALE_TIMESTAMP" or "FUTURE_TIMESTAMP" => InvalidTimestamp,
            "REQUEST_ID_REUSED" => DuplicateRequestId,
            "FACILITY_NOT_SERVED" or "INVALID_FACILITY_ID" or "FACILITY_NOT_VERIFIED" or "FACILITY_NOT_FOUND" => InvalidHip,
            ErrorCodes.InvalidToken or ErrorCodes.PartnerInactive or ErrorCodes.Unauthenticated => Unauthorized,
            ErrorCodes.RateLimited or ErrorCodes.TooManyRequests => TooManyRequests,
            _ => error.Kind switch
            {
                ErrorKind.Validation or ErrorKind.UnsupportedMediaType or ErrorKind.PayloadTooLarge or ErrorKind.UriTooLong => InvalidRequest,
                ErrorKind.Unauthenticated => Unauthorized,
                ErrorKind.Forbidden => Forbidden,
                ErrorKind.NotFound or ErrorKind.Gone => NotFound,
                ErrorKind.TooManyRequests => TooManyRequests,
                ErrorKind.DependencyUnavailable => DependencyUnavailable,
                _ => Unknown,
            },
        };
    }

    /// <summary>The error object of an ABDM answer or callback.</summary>
    public static AbdmError ToAbdmError(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Detail is null ? error.Title : $"{error.Title} {error.Detail}";
        return new AbdmError(AbdmCodeFor(error), message, error.Code);
    }
}

/// <summary>
/// ABDM's <c>error</c> object: <c>code</c> and <c>message</c> as ABDM sends them, plus the platform's stable code
/// (<c>ndhmCode</c>, an added field).
/// </summary>
public sealed record AbdmError(string Code, string Message, string? NdhmCode = null);

/// <summary>ABDM's error body: <c>{"error":{...}}</c>.</summary>
public sealed record AbdmErrorResponse(AbdmError Error);
