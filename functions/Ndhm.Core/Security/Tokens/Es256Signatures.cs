using System.Numerics;

namespace Ndhm.Core.Security.Tokens;

/// <summary>
/// ES256 (P-256) signatures in JWS form, R||S of 32 bytes each. ECDSA is malleable: (R, n - S) verifies as well as
/// (R, S), so one token has two valid encodings. The platform issues only the low-S form (S at most n/2) and
/// accepts only it, so a token's bytes are the one identity of the token.
/// </summary>
public static class Es256Signatures
{
    private const int ScalarBytes = 32;

    /// <summary>The order n of the P-256 group (FIPS 186-4, D.1.2.3).</summary>
    private static readonly BigInteger Order = BigInteger.Parse(
        "115792089210356248762697446949407573529996955224135760342422259061068512044369",
        System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger HalfOrder = Order >> 1;

    public static bool IsLowS(ReadOnlySpan<byte> signature) =>
        signature.Length == 2 * ScalarBytes && S(signature) <= HalfOrder;

    /// <summary>The low-S form of <paramref name="signature"/> (itself when it already is).</summary>
    public static byte[] ToLowS(byte[] signature)
    {
        if (signature.Length != 2 * ScalarBytes || IsLowS(signature))
        {
            return signature;
        }

        var lowS = (Order - S(signature)).ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[2 * ScalarBytes];
        signature.AsSpan(0, ScalarBytes).CopyTo(result);
        lowS.CopyTo(result.AsSpan(2 * ScalarBytes - lowS.Length));
        return result;
    }

    private static BigInteger S(ReadOnlySpan<byte> signature) =>
        new(signature.Slice(ScalarBytes, ScalarBytes), isUnsigned: true, isBigEndian: true);
}
