using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Core.Security.Tokens;

/// <summary>
/// The RFC 7517 JWKS document (<c>{"keys":[...]}</c>) partners fetch to verify platform tokens and signed
/// artefacts. Only public members are ever written.
/// </summary>
public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<PublicJsonWebKey> Keys)
{
    public static JsonWebKeySet From(IEnumerable<PublicJsonWebKey> keys) =>
        new(keys.Select(k => k with { Use = "sig", Kty = k.Kty.Replace("-HSM", "", StringComparison.Ordinal) }).ToList());

    public string ToJson() => JsonSerializer.Serialize(this, NdhmJson.Options);
}
