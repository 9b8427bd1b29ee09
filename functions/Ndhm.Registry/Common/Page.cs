using System.Text;
using Ndhm.Core.Errors;

namespace Ndhm.Registry.Common;

/// <summary>One page of a search; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// Keyset paging: searches are ordered by id and the token carries the last id returned (opaque to callers).
/// This pages correctly whatever filter runs in code after the query (the distance refinement), which the
/// store's own continuation tokens cannot do.
/// </summary>
public static class Cursor
{
    private const string Prefix = "v1:";

    public static string Encode(string lastId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length && text.Length <= 64)
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new DomainException(ErrorKind.Validation, RegistryErrors.InvalidContinuationToken,
            "The continuation token is not valid.", "Pass back the continuationToken of a previous page unchanged.");
    }
}
