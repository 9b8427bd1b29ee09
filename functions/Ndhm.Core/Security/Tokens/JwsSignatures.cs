using System.Buffers.Text;
using System.Security.Cryptography;
using Ndhm.Core.Keys;

namespace Ndhm.Core.Security.Tokens;

/// <summary>
/// The one check of a JWS signature against a published key, for bearer tokens and for the platform's signed
/// statements alike. Only ES256 (low-S, see <see cref="Es256Signatures"/>) and RS256, and only with a key of the matching
/// type: the key decides the algorithm and the header must agree with it (RFC 8725 section 3.1).
/// </summary>
public static class JwsSignatures
{
    public static bool Verify(PublicJsonWebKey key, string alg, byte[] signingInput, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (PublicJsonWebKey.AlgorithmFor(key.Kty, key.Crv) != alg || (key.Alg is { } keyAlg && keyAlg != alg)) return false;
        try
        {
            if (alg == SigningAlgorithms.Es256)
            {
                if (!Es256Signatures.IsLowS(signature) || key.X is null || key.Y is null) return false;
                using var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Base64Url.DecodeFromChars(key.X), Y = Base64Url.DecodeFromChars(key.Y) },
                });
                return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }

            if (alg != SigningAlgorithms.Rs256 || key.N is null || key.E is null) return false;
            using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(key.N), Exponent = Base64Url.DecodeFromChars(key.E) });
            return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
