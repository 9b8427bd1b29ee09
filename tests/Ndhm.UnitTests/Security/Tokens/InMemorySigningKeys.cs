using System.Buffers.Text;
using System.Security.Cryptography;
using Ndhm.Core.Keys;

namespace Ndhm.UnitTests.Security.Tokens;

/// <summary>
/// A test double for the Key Vault signing key: software ECDsa/RSA versions, newest last, the last
/// <see cref="PublishedVersions"/> published. Signs digests exactly as Key Vault does (ES256 raw R||S).
/// </summary>
internal sealed class InMemorySigningKeys : ISigningKeys, IDisposable
{
    private readonly List<(string Kid, AsymmetricAlgorithm Key)> _versions = [];

    public InMemorySigningKeys(string kty = "EC") => Rotate(kty);

    public int PublishedVersions { get; init; } = 2;

    public string CurrentKid => _versions[^1].Kid;

    public string Rotate(string kty = "EC")
    {
        AsymmetricAlgorithm key = kty == "EC" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var kid = $"https://unit.vault.azure.net/keys/ndhm-signing/{Guid.NewGuid():N}";
        _versions.Add((kid, key));
        return kid;
    }

    public Task<SigningKey> GetCurrentAsync(CancellationToken ct)
    {
        var (kid, key) = _versions[^1];
        return Task.FromResult(new SigningKey(kid, key is ECDsa ? SigningAlgorithms.Es256 : SigningAlgorithms.Rs256));
    }

    public Task<KeySignature> SignAsync(SigningKey key, ReadOnlyMemory<byte> digest, CancellationToken ct)
    {
        var (kid, material) = _versions.Single(v => v.Kid == key.KeyId);
        var signature = material switch
        {
            ECDsa ec => ec.SignHash(digest.Span, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            RSA rsa => rsa.SignHash(digest.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new InvalidOperationException(),
        };
        return Task.FromResult(new KeySignature(kid, key.Algorithm, signature));
    }

    public Task<IReadOnlyList<PublicJsonWebKey>> GetPublicKeysAsync(bool refresh, CancellationToken ct)
    {
        IReadOnlyList<PublicJsonWebKey> keys = _versions.AsEnumerable().Reverse().Take(PublishedVersions).Select(v => ToJwk(v.Kid, v.Key)).ToList();
        return Task.FromResult(keys);
    }

    public static PublicJsonWebKey ToJwk(string kid, AsymmetricAlgorithm key)
    {
        if (key is ECDsa ec)
        {
            var p = ec.ExportParameters(false);
            return new PublicJsonWebKey
            {
                Kid = kid, Kty = "EC", Alg = SigningAlgorithms.Es256, Crv = "P-256",
                X = Base64Url.EncodeToString(p.Q.X), Y = Base64Url.EncodeToString(p.Q.Y),
            };
        }
        var r = ((RSA)key).ExportParameters(false);
        return new PublicJsonWebKey
        {
            Kid = kid, Kty = "RSA", Alg = SigningAlgorithms.Rs256,
            N = Base64Url.EncodeToString(r.Modulus), E = Base64Url.EncodeToString(r.Exponent),
        };
    }

    public void Dispose()
    {
        foreach (var (_, key) in _versions) key.Dispose();
    }
}
