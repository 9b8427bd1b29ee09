using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Errors;

namespace Ndhm.Core.Ids;

/// <summary>
/// A UUID (version-5 layout) from the SHA-256 of <c>seed</c>: the same seed gives the same id, so a retry finds what
/// the first try made (a resumed request, a re-sent notification, an Idempotency-Key).
/// </summary>
public static class DerivedIds
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static string From(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>
    /// The id a create made with a client's <c>Idempotency-Key</c> gets: the same scope, owner and key always give the
    /// same id, so a retry after a failure resumes the first attempt; null without a key. A key is 1-64 letters, digits,
    /// '-', '_' or '.'; anything else is refused (400 <paramref name="invalidCode"/>).
    /// </summary>
    public static string? ForIdempotencyKey(string scope, string owner, string? key, string invalidCode)
    {
        if (key is null) return null;
        if (key.Length is 0 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new DomainException(ErrorKind.Validation, invalidCode, "The Idempotency-Key is not valid.",
                "Idempotency-Key: 1-64 letters, digits, '-', '_' or '.'.", new Dictionary<string, object?> { ["field"] = IdempotencyKeyHeader });
        return From(scope + "\n" + owner + "\n" + key);
    }
}
