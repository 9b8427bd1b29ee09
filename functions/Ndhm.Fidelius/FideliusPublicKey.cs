using Org.BouncyCastle.Asn1.X509;
using BigInteger = System.Numerics.BigInteger;

namespace Ndhm.Fidelius;

/// <summary>
/// A curve25519 public point, checked to lie on the curve. Reads and writes both forms the Java tool uses: the
/// 65-byte uncompressed point <c>04||X||Y</c> (88 base64 characters) and X.509 SubjectPublicKeyInfo DER with
/// explicit curve parameters. Either form of the same key is interchangeable everywhere.
/// </summary>
public sealed class FideliusPublicKey : IEquatable<FideliusPublicKey>
{
    private FideliusPublicKey(BigInteger x, BigInteger y)
    {
        X = x;
        Y = y;
    }

    internal BigInteger X { get; }

    internal BigInteger Y { get; }

    internal static FideliusPublicKey FromCoordinates(BigInteger x, BigInteger y)
    {
        if (!FideliusCurve.IsOnCurve(x, y))
        {
            throw FideliusException.InvalidKey("The public key is not a point on curve25519.");
        }

        return new FideliusPublicKey(x, y);
    }

    /// <summary>Reads base64 of either the raw point or X.509 DER (decided by content, not by length).</summary>
    public static FideliusPublicKey Parse(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        return FromBytes(FideliusBase64.Decode(base64, "public key", FideliusErrorCodes.InvalidKey));
    }

    /// <summary>Reads the 65-byte uncompressed point or X.509 SubjectPublicKeyInfo DER.</summary>
    public static FideliusPublicKey FromBytes(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw FideliusException.InvalidKey("The public key is empty.");
        }

        // A raw point starts with 04; DER SubjectPublicKeyInfo starts with a SEQUENCE tag (0x30).
        return encoded[0] == 0x30
            ? FromUncompressed(FideliusCurve.ReadSubjectPublicKeyInfo(encoded))
            : FromUncompressed(encoded);
    }

    private static FideliusPublicKey FromUncompressed(ReadOnlySpan<byte> point)
    {
        if (point.Length != FideliusCurve.UncompressedPointBytes || point[0] != 0x04)
        {
            throw FideliusException.InvalidKey(
                $"A raw public key is the {FideliusCurve.UncompressedPointBytes}-byte uncompressed point 04||X||Y.");
        }

        var x = new BigInteger(point.Slice(1, FideliusCurve.FieldBytes), isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(point.Slice(1 + FideliusCurve.FieldBytes), isUnsigned: true, isBigEndian: true);
        return FromCoordinates(x, y);
    }

    /// <summary>04 || X || Y, 65 bytes.</summary>
    public byte[] ToUncompressed()
    {
        var bytes = new byte[FideliusCurve.UncompressedPointBytes];
        bytes[0] = 0x04;
        FideliusCurve.WriteBigEndian(X, bytes.AsSpan(1, FideliusCurve.FieldBytes));
        FideliusCurve.WriteBigEndian(Y, bytes.AsSpan(1 + FideliusCurve.FieldBytes));
        return bytes;
    }

    /// <summary>Base64 of the 65-byte point (88 characters): the Java tool's <c>publicKey</c>.</summary>
    public string ToBase64() => Convert.ToBase64String(ToUncompressed());

    /// <summary>X.509 SubjectPublicKeyInfo DER with explicit parameters, byte for byte as Java's BC provider writes it.</summary>
    public byte[] ToX509() =>
        new SubjectPublicKeyInfo(FideliusCurve.X509Algorithm, ToUncompressed()).GetDerEncoded();

    /// <summary>Base64 of <see cref="ToX509"/>: the Java tool's <c>x509PublicKey</c>.</summary>
    public string ToX509Base64() => Convert.ToBase64String(ToX509());

    public bool Equals(FideliusPublicKey? other) => other is not null && X == other.X && Y == other.Y;

    public override bool Equals(object? obj) => Equals(obj as FideliusPublicKey);

    public override int GetHashCode() => HashCode.Combine(X, Y);

    public override string ToString() => ToBase64();
}
