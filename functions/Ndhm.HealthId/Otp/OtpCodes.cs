using System.Security.Cryptography;
using System.Text;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Otp;

/// <summary>Generating and checking the shape of OTP codes.</summary>
public static class OtpCode
{
    /// <summary>A uniformly random code of <paramref name="length"/> digits (leading zeros included).</summary>
    public static string Generate(IRandomSource random, int length = 6)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = (char)('0' + random.NextInt(10));
        return new string(chars);
    }

    /// <summary>True when <paramref name="otp"/> is exactly <paramref name="length"/> ASCII digits.</summary>
    public static bool IsWellFormed(string? otp, int length = 6) =>
        otp is not null && otp.Length == length && !otp.AsSpan().ContainsAnyExceptInRange('0', '9');
}

/// <summary>
/// Port: hashes an OTP for storage. The transaction id is part of the input, so the same code in two
/// transactions hashes differently and a stored hash cannot be replayed into another transaction.
/// </summary>
public interface IOtpHasher
{
    ValueTask<string> HashAsync(string txnId, string otp, CancellationToken ct);
}

/// <summary>
/// HMAC-SHA256(key, "otp:" + txnId + ":" + code), lower-case hex. Keyed because 10^6 codes are trivially
/// enumerable: an unkeyed hash would store the OTP in all but name.
/// </summary>
public sealed class HmacOtpHasher(IHealthIdKeySource keys) : IOtpHasher
{
    public async ValueTask<string> HashAsync(string txnId, string otp, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.OtpHash, ct).ConfigureAwait(false);
        KeyRules.Require(key);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"otp:{txnId}:{otp}")));
    }
}
