using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Rfc7748;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using BigInteger = System.Numerics.BigInteger;

namespace Ndhm.Fidelius;

/// <summary>
/// The Java tool's <c>curve25519</c>: BouncyCastle's short Weierstrass form of Curve25519,
/// y^2 = x^3 + a x + b over p = 2^255 - 19, order 8n. This is not X25519's encoding, but it is the same group:
/// Weierstrass x = Montgomery u + <see cref="Delta"/> (= 486662/3 mod p), y unchanged.
/// </summary>
/// <remarks>
/// BouncyCastle for .NET 2.x no longer ships the custom <c>curve25519</c> that BouncyCastle for Java has, and its
/// generic prime-curve arithmetic costs milliseconds per multiplication. So the scalar multiplications run on
/// BouncyCastle's constant-time X25519 ladder (<see cref="X25519"/>) through the isomorphism above, and the generic
/// <see cref="FpCurve"/> with the Java parameters is kept for the X.509 encoding and as the reference the tests
/// compare against. The parameters are the ones Java writes into every <c>x509PublicKey</c>.
/// </remarks>
internal static class FideliusCurve
{
    public const int FieldBytes = 32;
    public const int UncompressedPointBytes = 1 + 2 * FieldBytes;

    public static readonly BigInteger P = Hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
    public static readonly BigInteger A = Hex("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa984914a144");
    public static readonly BigInteger B = Hex("7b425ed097b425ed097b425ed097b425ed097b425ed097b4260b5e9c7710c864");
    public static readonly BigInteger Gx = Hex("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad245a");
    public static readonly BigInteger Gy = Hex("20ae19a1b8a086b4e01edd2c7748d14c923d4d7e6d7c61b229e9c5a27eced3d9");
    public static readonly BigInteger N = Hex("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed");
    public const int Cofactor = 8;

    /// <summary>Weierstrass x minus Montgomery u (the base point has u = 9).</summary>
    public static readonly BigInteger Delta = Gx - 9;

    private static readonly BigInteger InverseOfCofactor = BigInteger.ModPow(Cofactor, N - 2, N);
    private static readonly BigInteger LadderLow = BigInteger.One << 251;
    private static readonly BigInteger LadderHigh = BigInteger.One << 252;
    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);

    /// <summary>8G, used to recover y when generating keys.</summary>
    private static readonly (BigInteger X, BigInteger Y) EightG = Double(Double(Double((Gx, Gy))));

    /// <summary>The generic BouncyCastle curve with the Java parameters (slow; encoding and reference only).</summary>
    public static FpCurve BcCurve { get; } = new(ToBc(P), ToBc(A), ToBc(B), ToBc(N), BcBigInteger.ValueOf(Cofactor));

    public static ECDomainParameters BcDomain { get; } = new(BcCurve, BcCurve.CreatePoint(ToBc(Gx), ToBc(Gy)), ToBc(N),
        BcBigInteger.ValueOf(Cofactor));

    /// <summary>
    /// The X.509 algorithm identifier with explicit parameters, as Java's BC provider writes it for a key built from
    /// an <c>ECParameterSpec</c> (there is no named-curve OID for this curve).
    /// </summary>
    public static AlgorithmIdentifier X509Algorithm { get; } = new(X9ObjectIdentifiers.IdECPublicKey,
        new X962Parameters(new X9ECParameters(BcCurve, new X9ECPoint(BcDomain.G, false), BcDomain.N, BcDomain.H)));

    public static bool IsOnCurve(BigInteger x, BigInteger y) =>
        x < P && y < P && Mod(y * y - ((x * x + A) * x + B)) == 0;

    /// <summary>
    /// x(d * Q) as the Java tool computes it with BC's <c>ECDHBasicAgreement</c> (which clears the cofactor:
    /// (8Q) * (d/8 mod n)), written as exactly 32 big-endian bytes: leading zero bytes are part of the secret.
    /// </summary>
    public static void Agree(BigInteger d, BigInteger qx, BigInteger qy, Span<byte> secret)
    {
        // X25519 clamps its scalar to 2^254 + 8m with m < 2^251. k = 8m with m = +-d/8 mod n has that form whenever
        // m lies in [2^251, 2^252), which fails with probability about 2^-125; the generic path covers that case.
        // Because k is a multiple of 8 it clears any small-order component of Q exactly as BC does.
        var m = BigInteger.Remainder(d * InverseOfCofactor, N);
        if (m < LadderLow || m >= LadderHigh)
        {
            m = N - m;
        }

        if (m < LadderLow || m >= LadderHigh)
        {
            AgreeGeneric(d, qx, qy, secret);
            return;
        }

        Span<byte> k = stackalloc byte[FieldBytes];
        Span<byte> u = stackalloc byte[FieldBytes];
        Span<byte> r = stackalloc byte[FieldBytes];
        try
        {
            WriteLittleEndian(m * Cofactor, k);
            WriteLittleEndian(Mod(qx - Delta), u);
            if (!X25519.CalculateAgreement(k, u, r))
            {
                // Only a point of small order gives the point at infinity; such a key was forged.
                throw FideliusException.InvalidKey("The public key gives no shared secret with this private key.");
            }

            var x = Mod(new BigInteger(r, isUnsigned: true, isBigEndian: false) + Delta);
            WriteBigEndian(x, secret[..FieldBytes]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(r);
        }
    }

    /// <summary>The reference computation with BC's generic curve and ECDHBasicAgreement (milliseconds).</summary>
    public static void AgreeGeneric(BigInteger d, BigInteger qx, BigInteger qy, Span<byte> secret)
    {
        var agreement = new ECDHBasicAgreement();
        agreement.Init(new ECPrivateKeyParameters(ToBc(d), BcDomain));
        BcBigInteger x;
        try
        {
            x = agreement.CalculateAgreement(
                new ECPublicKeyParameters(BcCurve.CreatePoint(ToBc(qx), ToBc(qy)), BcDomain));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw FideliusException.InvalidKey("The public key gives no shared secret with this private key.", e);
        }

        Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(x, secret[..FieldBytes]);
    }

    /// <summary>
    /// A fresh key pair. The scalar is drawn in X25519's clamped form k = 2^254 + 8m (2^251 choices) and d = k mod n;
    /// the public key comes from <see cref="MultiplyBaseClamped"/>.
    /// </summary>
    public static (BigInteger D, BigInteger X, BigInteger Y) GenerateKeyPair()
    {
        Span<byte> k = stackalloc byte[FieldBytes];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(k);
                X25519.ClampPrivateKey(k);
                var scalar = new BigInteger(k, isUnsigned: true, isBigEndian: false);
                var d = BigInteger.Remainder(scalar, N);
                if (!d.IsZero && MultiplyBaseClamped(scalar) is { } point)
                {
                    return (d, point.X, point.Y);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
        }
    }

    /// <summary>d * G: through the X25519 ladder when d maps to a clamped scalar (all but ~2^-124 of keys), else generic.</summary>
    public static (BigInteger X, BigInteger Y) MultiplyBase(BigInteger d)
    {
        // As in Agree: k = 8m with m = +-d/8 mod n gives k*G = +-d*G; a negated m negates y.
        var m = BigInteger.Remainder(d * InverseOfCofactor, N);
        var negated = false;
        if (m < LadderLow || m >= LadderHigh)
        {
            m = N - m;
            negated = true;
        }

        if (m >= LadderLow && m < LadderHigh && MultiplyBaseClamped(m * Cofactor) is { } point)
        {
            return negated ? (point.X, Mod(-point.Y)) : point;
        }

        return MultiplyBaseGeneric(d);
    }

    /// <summary>
    /// k * G for a scalar already in clamped form. The ladder gives x(kG) and x((k+8)G); y(kG) is the square root of
    /// the curve equation for which kG + 8G has that second x (the other root gives x(kG - 8G)). Null in the
    /// negligible cases where k + 8 leaves the clamped range or kG = +-8G.
    /// </summary>
    private static (BigInteger X, BigInteger Y)? MultiplyBaseClamped(BigInteger scalar)
    {
        Span<byte> k = stackalloc byte[FieldBytes];
        Span<byte> k8 = stackalloc byte[FieldBytes];
        Span<byte> u1 = stackalloc byte[FieldBytes];
        Span<byte> u3 = stackalloc byte[FieldBytes];
        try
        {
            WriteLittleEndian(scalar, k);
            WriteLittleEndian(scalar + Cofactor, k8);
            if ((k8[FieldBytes - 1] & 0x80) != 0)
            {
                return null;
            }

            X25519.ScalarMultBase(k, u1);
            X25519.ScalarMultBase(k8, u3);
            var x1 = Mod(new BigInteger(u1, isUnsigned: true, isBigEndian: false) + Delta);
            var x3 = Mod(new BigInteger(u3, isUnsigned: true, isBigEndian: false) + Delta);
            var (x2, y2) = EightG;
            if (x1 == x2 || Sqrt(Mod((x1 * x1 + A) * x1 + B)) is not { } root)
            {
                return null;
            }

            var lambdaSquaredMinusX = Mod(x3 + x1 + x2);
            var inverse = BigInteger.ModPow(Mod(x2 - x1), P - 2, P);
            foreach (var y1 in (ReadOnlySpan<BigInteger>)[root, Mod(-root)])
            {
                var lambda = Mod((y2 - y1) * inverse);
                if (Mod(lambda * lambda) == lambdaSquaredMinusX)
                {
                    return (x1, y1);
                }
            }

            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(k8);
        }
    }

    /// <summary>d * G on the generic BC curve (reference for tests; milliseconds).</summary>
    public static (BigInteger X, BigInteger Y) MultiplyBaseGeneric(BigInteger d)
    {
        var point = new Org.BouncyCastle.Math.EC.Multiplier.FixedPointCombMultiplier()
            .Multiply(BcDomain.G, ToBc(d)).Normalize();
        return (FromBc(point.AffineXCoord.ToBigInteger()), FromBc(point.AffineYCoord.ToBigInteger()));
    }

    /// <summary>Reads a DER SubjectPublicKeyInfo and returns the encoded point, after checking its parameters.</summary>
    public static byte[] ReadSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        SubjectPublicKeyInfo spki;
        X962Parameters parameters;
        try
        {
            spki = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(der.ToArray()));
            if (!X9ObjectIdentifiers.IdECPublicKey.Equals(spki.Algorithm.Algorithm))
            {
                throw FideliusException.InvalidKey("The X.509 public key is not an elliptic-curve key.");
            }

            parameters = X962Parameters.GetInstance(spki.Algorithm.Parameters);
            if (!IsThisCurve(parameters))
            {
                throw FideliusException.InvalidKey("The X.509 public key is not on curve25519.");
            }
        }
        catch (FideliusException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or FormatException
                                      or InvalidOperationException)
        {
            throw FideliusException.InvalidKey("The public key is neither a raw curve25519 point nor X.509 DER.", e);
        }

        return spki.PublicKey.GetOctets();
    }

    private static bool IsThisCurve(X962Parameters parameters)
    {
        if (parameters.IsImplicitlyCA || parameters.IsNamedCurve)
        {
            return false; // no OID names this curve; Java always writes it explicitly
        }

        // Compare the raw parameter values rather than decoding points (decoding would validate on the slow curve).
        var x9 = Asn1Sequence.GetInstance(parameters.Parameters);
        if (x9.Count < 5)
        {
            return false;
        }

        var field = X9FieldID.GetInstance(x9[1]);
        var curve = Asn1Sequence.GetInstance(x9[2]);
        var g = Asn1OctetString.GetInstance(x9[3]).GetOctets();
        var n = DerInteger.GetInstance(x9[4]).Value;
        return X9ObjectIdentifiers.PrimeField.Equals(field.FieldType)
            && FromBc(DerInteger.GetInstance(field.Parameters).Value) == P
            && new BigInteger(Asn1OctetString.GetInstance(curve[0]).GetOctets(), isUnsigned: true, isBigEndian: true) == A
            && new BigInteger(Asn1OctetString.GetInstance(curve[1]).GetOctets(), isUnsigned: true, isBigEndian: true) == B
            && g.Length == UncompressedPointBytes && g[0] == 0x04
            && new BigInteger(g.AsSpan(1, FieldBytes), isUnsigned: true, isBigEndian: true) == Gx
            && new BigInteger(g.AsSpan(1 + FieldBytes), isUnsigned: true, isBigEndian: true) == Gy
            && FromBc(n) == N;
    }

    public static BigInteger Mod(BigInteger value)
    {
        var r = BigInteger.Remainder(value, P);
        return r.Sign < 0 ? r + P : r;
    }

    public static void WriteBigEndian(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(destination.Length - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    private static void WriteLittleEndian(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        value.TryWriteBytes(destination, out _, isUnsigned: true, isBigEndian: false);
    }

    private static BigInteger? Sqrt(BigInteger t)
    {
        // p = 5 (mod 8): candidate t^((p+3)/8), fixed up by sqrt(-1) when needed.
        var c = BigInteger.ModPow(t, (P + 3) / 8, P);
        if (Mod(c * c) == t)
        {
            return c;
        }

        c = Mod(c * SqrtMinusOne);
        return Mod(c * c) == t ? c : null;
    }

    private static (BigInteger X, BigInteger Y) Double((BigInteger X, BigInteger Y) point)
    {
        var (x, y) = point;
        var lambda = Mod((3 * x * x + A) * BigInteger.ModPow(Mod(2 * y), P - 2, P));
        var x2 = Mod(lambda * lambda - 2 * x);
        return (x2, Mod(lambda * (x - x2) - y));
    }

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber);

    public static BcBigInteger ToBc(BigInteger value) => new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));

    public static BigInteger FromBc(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
}
