namespace Ndhm.Core.Errors;

/// <summary>
/// Platform-wide error codes. Capability-specific codes live beside their capability (for example
/// <c>ABHA_CHECKSUM</c> in Health ID); these are the ones every endpoint can return.
/// </summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string MalformedJson = "MALFORMED_JSON";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    /// <summary>An id (path segment or body field) that can never name a record: bad characters or length.</summary>
    public const string InvalidId = "INVALID_ID";
    /// <summary>A text field with control or bidi-override characters, or longer than its limit.</summary>
    public const string InvalidText = "INVALID_TEXT";
    /// <summary>An array with more entries than the field allows.</summary>
    public const string TooManyItems = "TOO_MANY_ITEMS";
    /// <summary>A JSON object that names the same property twice.</summary>
    public const string DuplicateProperty = "DUPLICATE_PROPERTY";
    public const string UriTooLong = "URI_TOO_LONG";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string InvalidToken = "INVALID_TOKEN";
    /// <summary>A partner-session token whose partner has been deactivated (or no longer exists).</summary>
    public const string PartnerInactive = "PARTNER_INACTIVE";
    public const string Forbidden = "FORBIDDEN";
    /// <summary>A web session's unsafe request without the CSRF header that matches its session.</summary>
    public const string CsrfTokenInvalid = "CSRF_TOKEN_INVALID";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string ConcurrentUpdate = "CONCURRENT_UPDATE";
    public const string TooManyRequests = "TOO_MANY_REQUESTS";
    /// <summary>An abuse limit (Ndhm.Core.RateLimits) is used up; Retry-After says when to try again.</summary>
    public const string RateLimited = "RATE_LIMITED";
    public const string DependencyUnavailable = "DEPENDENCY_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
}
