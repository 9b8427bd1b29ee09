using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Gateway.Partners;

/// <summary>A PBKDF2-SHA256 hash of a client secret with its own salt and iteration count.</summary>
public sealed record HashedSecret(string Algorithm, int Iterations, string Salt, string Hash);

/// <summary>
/// Client secrets: 256 random bits shown once, kept only as a slow salted hash, compared in constant time.
/// The iteration count is stored with each hash so it can be raised without invalidating existing secrets.
/// </summary>
public sealed class ClientSecrets(int iterations = ClientSecrets.DefaultIterations)
{
    public const int DefaultIterations = 210_000;
    public const string Algorithm = "PBKDF2-SHA256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public int Iterations { get; } = iterations >= 1 ? iterations : throw new ArgumentOutOfRangeException(nameof(iterations));

    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public HashedSecret Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return new HashedSecret(Algorithm, Iterations, Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string? secret, HashedSecret stored)
    {
        if (string.IsNullOrEmpty(secret) || stored.Algorithm != Algorithm || stored.Iterations < 1 || secret.Length > 512)
        {
            return false;
        }

        var expected = Convert.FromBase64String(stored.Hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), Convert.FromBase64String(stored.Salt),
            stored.Iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>Spends the same work as a real check, so an unknown client id answers as slowly as a wrong secret.</summary>
    public void Burn(string? secret) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret ?? ""), new byte[SaltBytes], Iterations, HashAlgorithmName.SHA256, HashBytes);
}
