using System.Globalization;
using System.Text.Json;
using Ndhm.Core.Json;

namespace Ndhm.Fidelius;

/// <summary>
/// ABDM's <c>keyMaterial</c> as it travels in health-information requests and data pushes:
/// <c>{"cryptoAlg":"ECDH","curve":"Curve25519","dhPublicKey":{"expiry","parameters","keyValue"},"nonce"}</c>.
/// This is the wire shape only; <see cref="Validate"/> turns it into keys this library trusts.
/// </summary>
public sealed record AbdmKeyMaterial(string? CryptoAlg, string? Curve, AbdmDhPublicKey? DhPublicKey, string? Nonce)
{
    public const string Algorithm = "ECDH";
    public const string CurveName = "Curve25519";
    public const string DefaultParameters = "Curve25519/32byte random key";

    /// <summary>Parses and validates the JSON of a <c>keyMaterial</c> object.</summary>
    public static PeerKeyMaterial Parse(string json, TimeProvider time, TimeSpan clockSkew = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        AbdmKeyMaterial? material;
        try
        {
            material = JsonSerializer.Deserialize<AbdmKeyMaterial>(json, NdhmJson.Options);
        }
        catch (JsonException e)
        {
            throw Invalid("The key material is not valid JSON of the ABDM keyMaterial shape.", e);
        }

        return (material ?? throw Invalid("The key material is null.")).Validate(time, clockSkew);
    }

    /// <summary>
    /// Checks algorithm (ECDH), curve (Curve25519), that the public key is a point on the curve (raw or X.509 form),
    /// that the nonce has 32 bytes and that the key has not expired by <paramref name="time"/>'s clock (allowing
    /// <paramref name="clockSkew"/>).
    /// </summary>
    public PeerKeyMaterial Validate(TimeProvider time, TimeSpan clockSkew = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!string.Equals(CryptoAlg?.Trim(), Algorithm, StringComparison.OrdinalIgnoreCase))
        {
            throw new FideliusException(FideliusErrorCodes.UnsupportedAlgorithm, "Only ECDH key material is supported.",
                $"cryptoAlg must be '{Algorithm}'.");
        }

        if (!string.Equals(Curve?.Trim(), CurveName, StringComparison.OrdinalIgnoreCase))
        {
            throw new FideliusException(FideliusErrorCodes.UnsupportedAlgorithm, "Only Curve25519 key material is supported.",
                $"curve must be '{CurveName}'.");
        }

        if (DhPublicKey is null || string.IsNullOrWhiteSpace(DhPublicKey.KeyValue))
        {
            throw Invalid("dhPublicKey.keyValue is required.");
        }

        if (string.IsNullOrWhiteSpace(DhPublicKey.Expiry))
        {
            throw Invalid("dhPublicKey.expiry is required.");
        }

        if (!DateTimeOffset.TryParse(DhPublicKey.Expiry.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiry))
        {
            throw Invalid("dhPublicKey.expiry is not an ISO-8601 date-time.");
        }

        if (expiry + clockSkew <= time.GetUtcNow())
        {
            throw new FideliusException(FideliusErrorCodes.KeyExpired, "The key material has expired.",
                $"The public key expired at {expiry:O}.");
        }

        if (string.IsNullOrWhiteSpace(Nonce))
        {
            throw FideliusException.InvalidNonce("nonce is required.");
        }

        var publicKey = FideliusPublicKey.Parse(DhPublicKey.KeyValue);
        var nonce = FideliusNonce.Parse(Nonce);
        return new PeerKeyMaterial(publicKey, nonce, expiry);
    }

    public string ToJson() => JsonSerializer.Serialize(this, NdhmJson.Options);

    private static FideliusException Invalid(string detail, Exception? inner = null) =>
        new(FideliusErrorCodes.InvalidKeyMaterial, "The key material is not valid.", detail, inner);
}

/// <summary>ABDM's <c>dhPublicKey</c>: <c>expiry</c> (ISO-8601), <c>parameters</c> (free text), <c>keyValue</c>.</summary>
public sealed record AbdmDhPublicKey(string? Expiry, string? Parameters, string? KeyValue);

/// <summary>The other side's validated key material: a point on the curve, a 32-byte nonce, an expiry in the future.</summary>
public sealed record PeerKeyMaterial(FideliusPublicKey PublicKey, FideliusNonce Nonce, DateTimeOffset Expiry);
