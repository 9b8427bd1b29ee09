using Ndhm.Core.Errors;

namespace Ndhm.Fidelius;

/// <summary>Stable error codes of the Fidelius capability; callers switch on these, never on messages.</summary>
public static class FideliusErrorCodes
{
    public const string InvalidKey = "FIDELIUS_INVALID_KEY";
    public const string InvalidNonce = "FIDELIUS_INVALID_NONCE";
    public const string InvalidCiphertext = "FIDELIUS_INVALID_CIPHERTEXT";
    public const string DecryptionFailed = "FIDELIUS_DECRYPTION_FAILED";
    public const string KeyExpired = "FIDELIUS_KEY_EXPIRED";
    public const string InvalidKeyMaterial = "FIDELIUS_INVALID_KEY_MATERIAL";
    public const string UnsupportedAlgorithm = "FIDELIUS_UNSUPPORTED_ALGORITHM";
    public const string BufferTooSmall = "FIDELIUS_BUFFER_TOO_SMALL";
}

/// <summary>
/// A Fidelius input was refused. Always a <see cref="ErrorKind.Validation"/> error: the bytes a peer sent are wrong,
/// so retrying the same request cannot help. <see cref="DomainException.Detail"/> never contains key or data bytes.
/// </summary>
public sealed class FideliusException : DomainException
{
    public FideliusException(string code, string title, string? detail = null, Exception? inner = null)
        : base(ErrorKind.Validation, code, title, detail, inner: inner)
    {
    }

    internal static FideliusException InvalidKey(string detail, Exception? inner = null) =>
        new(FideliusErrorCodes.InvalidKey, "The key is not a valid Fidelius Curve25519 key.", detail, inner);

    internal static FideliusException InvalidNonce(string detail) =>
        new(FideliusErrorCodes.InvalidNonce, "The nonce is not a valid Fidelius nonce.", detail);
}
