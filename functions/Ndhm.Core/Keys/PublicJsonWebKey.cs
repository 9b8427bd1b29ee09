using System.Text.Json.Serialization;

namespace Ndhm.Core.Keys;

/// <summary>
/// A public key as an RFC 7517 JSON Web Key. Byte members are base64url strings, as on the wire.
/// <see cref="Kid"/> is the versioned Key Vault key id, so a token header names exactly one key version.
/// </summary>
public sealed record PublicJsonWebKey
{
    [JsonPropertyName("kty")] public required string Kty { get; init; }
    [JsonPropertyName("kid")] public required string Kid { get; init; }
    [JsonPropertyName("use")] public string Use { get; init; } = "sig";
    [JsonPropertyName("alg")] public required string Alg { get; init; }
    [JsonPropertyName("crv")] public string? Crv { get; init; }
    [JsonPropertyName("x")] public string? X { get; init; }
    [JsonPropertyName("y")] public string? Y { get; init; }
    [JsonPropertyName("n")] public string? N { get; init; }
    [JsonPropertyName("e")] public string? E { get; init; }

    /// <summary>The JWS algorithm a key of this type signs with, or null for a key the platform cannot sign with.</summary>
    public static string? AlgorithmFor(string kty, string? crv) => kty switch
    {
        "EC" or "EC-HSM" when crv == "P-256" => SigningAlgorithms.Es256,
        "RSA" or "RSA-HSM" => SigningAlgorithms.Rs256,
        _ => null,
    };
}
