using System.Text.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Audit;

/// <summary>
/// Compact JWS (RFC 7515) over canonical JSON payloads, signed by the platform's Key Vault key
/// (<see cref="ISigningKeys"/>) and verified against its published JWKS. Header: <c>alg</c>, <c>kid</c> (the
/// versioned key id) and <c>typ</c> <c>ndhm-audit+jws</c>, so an audit signature is never mistaken for a token.
/// </summary>
public sealed class AuditJws(ISigningKeys keys) : IAuditHeadSigner
{
    public const string Type = "ndhm-audit+jws";

    public Task<string> SignAsync(JsonElement payload, CancellationToken ct) => CanonicalJws.SignAsync(keys, payload, Type, ct);

    /// <summary>The payload when <paramref name="jws"/> is an audit signature by one of <paramref name="publicKeys"/>; null otherwise (with the reason).</summary>
    public static JsonElement? Verify(string jws, IReadOnlyList<PublicJsonWebKey> publicKeys, out string reason) =>
        CanonicalJws.Verify(jws, [Type], publicKeys, out reason);
}
