using BigInteger = System.Numerics.BigInteger;

namespace Ndhm.Fidelius;

/// <summary>
/// A curve25519 private scalar. Its text form is what the Java tool prints: base64 of Java's
/// <c>BigInteger.toByteArray()</c>, i.e. signed big-endian and minimal, so it may be shorter than 32 bytes or carry a
/// leading 0x00 sign byte. Both are read here. <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class FideliusPrivateKey
{
    private FideliusPublicKey? _publicKey;

    private FideliusPrivateKey(BigInteger d, FideliusPublicKey? publicKey)
    {
        D = d;
        _publicKey = publicKey;
    }

    internal BigInteger D { get; }

    /// <summary>The matching public key d*G (computed once, on first use, when the key was parsed).</summary>
    public FideliusPublicKey PublicKey => _publicKey ??= ComputePublicKey();

    /// <summary>A fresh random key (see <see cref="FideliusCurve.GenerateKeyPair"/>).</summary>
    public static FideliusPrivateKey Generate()
    {
        var (d, x, y) = FideliusCurve.GenerateKeyPair();
        return new FideliusPrivateKey(d, FideliusPublicKey.FromCoordinates(x, y));
    }

    /// <summary>Reads the base64 text form (Java <c>BigInteger.toByteArray()</c>, signed big-endian).</summary>
    public static FideliusPrivateKey Parse(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return FromBytes(FideliusBase64.Decode(base64, "private key", FideliusErrorCodes.InvalidKey));
    }

    /// <summary>Reads signed big-endian bytes, as Java's <c>new BigInteger(byte[])</c> does.</summary>
    public static FideliusPrivateKey FromBytes(ReadOnlySpan<byte> signedBigEndian)
    {
        // 33 bytes is the longest honest form (a 0x00 sign byte in front of 32); anything longer is not a key.
        if (signedBigEndian.IsEmpty || signedBigEndian.Length > FideliusCurve.FieldBytes + 1)
        {
            throw FideliusException.InvalidKey($"A private key has 1 to 33 bytes, not {signedBigEndian.Length}.");
        }

        var d = new BigInteger(signedBigEndian, isUnsigned: false, isBigEndian: true);
        if (d.Sign <= 0 || d >= FideliusCurve.N)
        {
            throw FideliusException.InvalidKey("The private key is outside [1, n-1] of curve25519.");
        }

        return new FideliusPrivateKey(d, null);
    }

    /// <summary>Java's <c>BigInteger.toByteArray()</c> of the scalar: what the Java tool base64-encodes.</summary>
    public byte[] ToByteArray() => D.ToByteArray(isUnsigned: false, isBigEndian: true);

    public string ToBase64() => Convert.ToBase64String(ToByteArray());

    public override string ToString() => "FideliusPrivateKey(redacted)";

    private FideliusPublicKey ComputePublicKey()
    {
        var (x, y) = FideliusCurve.MultiplyBase(D);
        return FideliusPublicKey.FromCoordinates(x, y);
    }
}
