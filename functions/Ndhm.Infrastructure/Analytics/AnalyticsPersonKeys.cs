using System.Security.Cryptography;
using System.Text;
using Ndhm.HealthId.Identity;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// The part of a fact id that comes from a person (an ABHA number): HMAC-SHA256 under Health ID's identity-hash key,
/// labelled for analytics so it matches no other stored hash. A plain hash would not do: facts outlive the
/// operational data in the analytical store / Fabric mirror, and the 14 digits of an ABHA number can be hashed
/// exhaustively, so an unkeyed fact id would be the number.
/// </summary>
public sealed class AnalyticsPersonKeys(IHealthIdKeySource keys)
{
    public async ValueTask<string> KeyAsync(string abhaNumber, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("analytics-person:" + abhaNumber)));
    }
}
