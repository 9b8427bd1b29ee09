using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ndhm.LocalKeyVault;

/// <summary>A loaded key version: its persisted form plus the software key that does the cryptography.</summary>
public sealed class KeyVersion
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    public KeyVersion(StoredKeyVersion stored)
    {
        Stored = stored;
        var pkcs8 = Convert.FromBase64String(stored.Pkcs8);
        if (stored.Kty == "EC")
        {
            _ec = ECDsa.Create();
            _ec.ImportPkcs8PrivateKey(pkcs8, out _);
        }
        else
        {
            _rsa = RSA.Create();
            _rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        }
    }

    public StoredKeyVersion Stored { get; }

    public string KeyId(string baseUri, string name) => $"{baseUri}/keys/{name}/{Stored.Version}";

    public bool Allows(string operation) => Stored.KeyOps.Contains(operation, StringComparer.Ordinal);

    public bool IsUsableAt(long now) => Stored.Enabled && (Stored.NotBefore is null || Stored.NotBefore <= now)
        && (Stored.Expires is null || now < Stored.Expires);

    /// <summary>Key Vault's KeyBundle: the public JWK and the attributes.</summary>
    public JsonObject ToBundle(string baseUri, string name)
    {
        var key = new JsonObject
        {
            ["kid"] = KeyId(baseUri, name),
            ["kty"] = Stored.Kty,
            ["key_ops"] = new JsonArray(Stored.KeyOps.Select(op => (JsonNode)JsonValue.Create(op)!).ToArray()),
        };
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            key["crv"] = Stored.Crv;
            key["x"] = Base64Url.EncodeToString(p.Q.X);
            key["y"] = Base64Url.EncodeToString(p.Q.Y);
        }
        else
        {
            var p = _rsa!.ExportParameters(false);
            key["n"] = Base64Url.EncodeToString(p.Modulus);
            key["e"] = Base64Url.EncodeToString(p.Exponent);
        }
        return new JsonObject { ["key"] = key, ["attributes"] = Attributes() };
    }

    public JsonObject ToItem(string baseUri, string name) => new() { ["kid"] = KeyId(baseUri, name), ["attributes"] = Attributes() };

    private JsonObject Attributes()
    {
        var attributes = new JsonObject
        {
            ["enabled"] = Stored.Enabled,
            ["created"] = Stored.Created,
            ["updated"] = Stored.Updated,
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = 90,
            ["exportable"] = false,
        };
        if (Stored.NotBefore is { } nbf) attributes["nbf"] = nbf;
        if (Stored.Expires is { } exp) attributes["exp"] = exp;
        return attributes;
    }

    /// <returns>The signature, or null when the algorithm does not fit this key.</returns>
    public byte[]? Sign(string alg, byte[] digest) => alg switch
    {
        "ES256" when _ec is not null && Stored.Crv == "P-256" => _ec.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        "RS256" when _rsa is not null => _rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "PS256" when _rsa is not null => _rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => null,
    };

    public bool? Verify(string alg, byte[] digest, byte[] signature) => alg switch
    {
        "ES256" when _ec is not null && Stored.Crv == "P-256" => _ec.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        "RS256" when _rsa is not null => _rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "PS256" when _rsa is not null => _rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => null,
    };

    public static RSAEncryptionPadding? Padding(string alg) => alg switch
    {
        "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1,
        "RSA-OAEP-256" => RSAEncryptionPadding.OaepSHA256,
        _ => null,
    };

    public byte[]? Wrap(RSAEncryptionPadding padding, byte[] value) => _rsa?.Encrypt(value, padding);

    public byte[]? Unwrap(RSAEncryptionPadding padding, byte[] value) => _rsa?.Decrypt(value, padding);
}
