namespace Ndhm.Core.Errors;

/// <summary>
/// What went wrong, in domain terms. The HTTP edge maps each kind to one status code, so domain code never
/// speaks HTTP and every error of the same kind looks the same to a caller.
/// </summary>
public enum ErrorKind
{
    Validation,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    Gone,
    PayloadTooLarge,
    UnsupportedMediaType,
    TooManyRequests,
    DependencyUnavailable,
    /// <summary>The request target is longer than the server reads (414).</summary>
    UriTooLong,
}
