using System.Security.Cryptography;
using System.Text;

namespace Ndhm.HealthId.Identity;

/// <summary>Which secret key a Health ID hash uses. Separate keys, so one leaking does not expose the other uses.</summary>
public enum HealthIdKeyPurpose
{
    /// <summary>Keyed hashes of Aadhaar and mobile numbers, used to find duplicates and look accounts up.</summary>
    IdentityHash,

    /// <summary>Keyed hashes of OTPs at rest.</summary>
    OtpHash,
}

/// <summary>
/// Port: the HMAC keys, from the key store (Key Vault secret in Azure, the local endpoint in the sandbox).
/// Adapters cache the key; a key must be at least 32 bytes.
/// </summary>
public interface IHealthIdKeySource
{
    ValueTask<byte[]> GetKeyAsync(HealthIdKeyPurpose purpose, CancellationToken ct);
}

/// <summary>
/// Port: turns identifiers that must not be stored raw into stable keyed hashes, used as lookup and
/// deduplication keys (one ABHA number per Aadhaar; accounts by mobile; the OTP rate window per mobile).
/// </summary>
public interface IIdentityHasher
{
    ValueTask<string> HashAadhaarAsync(AadhaarNumber aadhaar, CancellationToken ct);

    ValueTask<string> HashMobileAsync(MobileNumber mobile, CancellationToken ct);

    /// <summary>A driving licence number: deduplication of document enrolments (one ABHA per document).</summary>
    ValueTask<string> HashDrivingLicenceAsync(Documents.DrivingLicenceNumber licence, CancellationToken ct);

    /// <summary>An ABHA number (its 14 digits) or address (lower case, with suffix) as a login or limit key.</summary>
    ValueTask<string> HashAbhaIdentifierAsync(string canonicalIdentifier, CancellationToken ct);

    /// <summary>
    /// A person's demographics (<see cref="Demographic.DemographicKey"/>: first and last name, year of birth, gender, PIN
    /// code): deduplication of demographic enrolments against every account (one person, one ABHA).
    /// </summary>
    ValueTask<string> HashDemographicsAsync(string demographicKey, CancellationToken ct);

    /// <summary>An uploaded batch's canonical content: a re-upload under the same batch id must carry the same records.</summary>
    ValueTask<string> HashBatchContentAsync(string canonicalContent, CancellationToken ct);

    /// <summary>An email address as <see cref="Accounts.EmailAddress.Normalise"/> gives it, lower-cased: the lookup key and the OTP window of a verified email.</summary>
    ValueTask<string> HashEmailAsync(string email, CancellationToken ct);
}

/// <summary>
/// HMAC-SHA256 with a key from <see cref="IHealthIdKeySource"/>. Plain SHA-256 would not do: 10^12 Aadhaar
/// numbers (and far fewer mobiles) can be hashed exhaustively in hours, so without the key a leaked hash is the
/// number. A domain label ("aadhaar:", "mobile:", "abha:") keeps hashes of the same digits apart between kinds.
/// Output: lower-case hex, safe as a Cosmos id or partition key.
/// </summary>
public sealed class HmacIdentityHasher(IHealthIdKeySource keys) : IIdentityHasher
{
    public ValueTask<string> HashAadhaarAsync(AadhaarNumber aadhaar, CancellationToken ct) =>
        HashAsync("aadhaar:" + aadhaar.Digits, ct);

    public ValueTask<string> HashMobileAsync(MobileNumber mobile, CancellationToken ct) =>
        HashAsync("mobile:" + mobile.Digits, ct);

    public ValueTask<string> HashDrivingLicenceAsync(Documents.DrivingLicenceNumber licence, CancellationToken ct) =>
        HashAsync("dl:" + licence.Canonical, ct);

    public ValueTask<string> HashAbhaIdentifierAsync(string canonicalIdentifier, CancellationToken ct) =>
        HashAsync("abha:" + canonicalIdentifier, ct);

    public ValueTask<string> HashDemographicsAsync(string demographicKey, CancellationToken ct) =>
        HashAsync("demographic:" + demographicKey, ct);

    public ValueTask<string> HashBatchContentAsync(string canonicalContent, CancellationToken ct) =>
        HashAsync("batch:" + canonicalContent, ct);

    public ValueTask<string> HashEmailAsync(string email, CancellationToken ct) =>
        HashAsync("email:" + email.Trim().ToLowerInvariant(), ct);

    private async ValueTask<string> HashAsync(string labelled, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct).ConfigureAwait(false);
        KeyRules.Require(key);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(labelled)));
    }
}

internal static class KeyRules
{
    public const int MinKeyBytes = 32;

    public static void Require(byte[] key)
    {
        if (key.Length < MinKeyBytes)
            throw new InvalidOperationException($"Health ID HMAC keys must have at least {MinKeyBytes} bytes.");
    }
}
