using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Consent;

/// <summary>A UUID (version-5 layout) from the SHA-256 of <c>seed</c>: the same seed gives the same id, so a retry finds what the first try made.</summary>
public static class DerivedIds
{
    public static string From(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
