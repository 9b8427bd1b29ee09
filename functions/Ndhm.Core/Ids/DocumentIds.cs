using Ndhm.Core.Errors;
using Ndhm.Core.Text;

namespace Ndhm.Core.Ids;

/// <summary>
/// The last line of defence for ids that become Cosmos document ids or partition keys. Each capability validates its
/// own ids against their grammar at the edge (a facility id, an ABHA number, a client id...); this check holds for
/// every id whatever its kind, so a path that forgot its grammar still cannot send Cosmos an id it would misread:
/// Cosmos ids may not contain <c>/ \ ? #</c> (the emulator even resolved <c>..\..\x</c> to another document), and
/// control or bidi-override characters never belong in an id.
/// </summary>
public static class DocumentIds
{
    /// <summary>Cosmos allows 1023 bytes; no id of the platform comes near 255 characters.</summary>
    public const int MaxLength = 255;

    public static bool IsSafe(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || id is "." or "..")
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is '/' or '\\' or '?' or '#' || char.IsControl(c) || TextPolicy.IsInvisibleFormat(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns <paramref name="id"/>, or throws 400 <see cref="ErrorCodes.InvalidId"/> naming the field.</summary>
    public static string Ensure(string? id, string field = "id") =>
        IsSafe(id)
            ? id!
            : throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidId, $"{field} is not a valid identifier.",
                $"At most {MaxLength} characters; no '/', '\\', '?', '#', spaces or control characters.");
}
