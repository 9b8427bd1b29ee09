using Ndhm.Core.Errors;

namespace Ndhm.Privacy;

public static class PrivacyErrors
{
    /// <summary>The subject's data key was destroyed: their encrypted data is gone for good, and no new data may be stored for them.</summary>
    public const string SubjectErased = "SUBJECT_ERASED";

    public static DomainException Erased(DataKeyScope scope) =>
        new(ErrorKind.Gone, SubjectErased, "The subject's data was erased.",
            $"The data key of this {scope.Kind} was destroyed; their personal data can no longer be read or stored.");
}

/// <summary>
/// Stored ciphertext that does not decrypt: tampered, moved to another document or field, or made with a key the
/// subject does not hold. A server-side integrity failure, never the caller's fault, so not a <see cref="DomainException"/>.
/// </summary>
public sealed class CiphertextIntegrityException(string message, Exception? inner = null) : Exception(message, inner);
