using System.Security.Cryptography;
using System.Text.Json;

namespace Ndhm.Audit;

/// <summary>An entry's hash: lower-case hex SHA-256 of its canonical form (<see cref="AuditCanonicalJson"/>).</summary>
public static class AuditHashing
{
    /// <summary>The <c>prevHash</c> of a chain's first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string HashOf(JsonElement entry) => Convert.ToHexStringLower(SHA256.HashData(AuditCanonicalJson.Serialize(entry)));
}
