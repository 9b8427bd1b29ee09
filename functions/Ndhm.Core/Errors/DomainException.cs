namespace Ndhm.Core.Errors;

/// <summary>
/// A failure the caller can act on. <see cref="Code"/> is stable (clients switch on it); <see cref="Title"/>
/// is a short human summary; <see cref="Detail"/> explains this occurrence and must never carry personal data.
/// </summary>
public class DomainException : Exception
{
    public DomainException(ErrorKind kind, string code, string title, string? detail = null,
        IReadOnlyDictionary<string, object?>? extensions = null, Exception? inner = null)
        : base(detail ?? title, inner)
    {
        Kind = kind;
        Code = code;
        Title = title;
        Detail = detail;
        Extensions = extensions ?? new Dictionary<string, object?>();
    }

    public ErrorKind Kind { get; }
    public string Code { get; }
    public string Title { get; }
    public string? Detail { get; }
    public IReadOnlyDictionary<string, object?> Extensions { get; }

    /// <summary>Seconds a caller should wait before retrying (429 and 503 carry it as Retry-After).</summary>
    public int? RetryAfterSeconds { get; init; }
}
