using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Keys;

namespace Ndhm.Linking.ProfileSharing;

/// <summary>What a facility QR says: which HIP, which counter, for which consent manager, valid when.</summary>
public sealed record FacilityQrClaims(string HipId, string CounterId, string CmId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The facility QR a HIP prints at its counter: a compact JWS of the platform (<c>typ</c> <c>ndhm-facility-qr+jws</c>)
/// over <c>{hipId, counterId, cm, iat, exp}</c>, so a patient app or anyone holding <c>/api/.well-known/jwks.json</c>
/// verifies offline that the platform issued it for that HIP and counter, and the platform trusts nothing in it
/// that it did not sign.
/// </summary>
public sealed class FacilityQrSigner(ISigningKeys keys)
{
    public const string Type = "ndhm-facility-qr+jws";

    public Task<string> SignAsync(FacilityQrClaims claims, CancellationToken ct) =>
        CanonicalJws.SignAsync(keys, JsonSerializer.SerializeToElement(new
        {
            hipId = claims.HipId,
            counterId = claims.CounterId,
            cm = claims.CmId,
            iat = claims.IssuedAt.ToUnixTimeSeconds(),
            exp = claims.ExpiresAt.ToUnixTimeSeconds(),
        }), Type, ct);

    /// <summary>The claims of a QR the platform signed (any of its current keys), or null; expiry is the caller's to judge.</summary>
    public async Task<FacilityQrClaims?> ReadAsync(string qr, CancellationToken ct)
    {
        var payload = CanonicalJws.Verify(qr, Type, await keys.GetPublicKeysAsync(false, ct))
                      ?? CanonicalJws.Verify(qr, Type, await keys.GetPublicKeysAsync(true, ct));
        if (payload is not { ValueKind: JsonValueKind.Object } p) return null;
        try
        {
            return new FacilityQrClaims(p.GetProperty("hipId").GetString()!, p.GetProperty("counterId").GetString()!, p.GetProperty("cm").GetString()!,
                DateTimeOffset.FromUnixTimeSeconds(p.GetProperty("iat").GetInt64()), DateTimeOffset.FromUnixTimeSeconds(p.GetProperty("exp").GetInt64()));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
