using System.Security.Cryptography;

namespace Ndhm.DataTransfer.Partners;

/// <summary>
/// An entry's checksum: SHA-256 of the plaintext bundle's UTF-8 bytes, base64 (what the HIP side sends). ABDM's
/// description says "MD5 of the content before encryption" without an encoding, so the HIU side also accepts hex,
/// and MD5 from HIPs built to the letter of ABDM's file.
/// </summary>
public static class Checksums
{
    public static string Of(ReadOnlySpan<byte> plaintext) => Convert.ToBase64String(SHA256.HashData(plaintext));

    public static bool Matches(string? checksum, ReadOnlySpan<byte> plaintext)
    {
        if (string.IsNullOrWhiteSpace(checksum)) return false;
        var sha = SHA256.HashData(plaintext);
        var md5 = MD5.HashData(plaintext);
        var given = checksum.Trim();
        foreach (var digest in new[] { sha, md5 })
        {
            if (given == Convert.ToBase64String(digest) || string.Equals(given, Convert.ToHexString(digest), StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }
}
