using System.Security.Cryptography;

namespace Ndhm.HealthId.Numbers;

/// <summary>
/// The one source of randomness for Health ID (ABHA numbers, OTPs). Production uses the operating system's
/// CSPRNG; tests inject a seeded source so that outputs are reproducible.
/// </summary>
public interface IRandomSource
{
    /// <summary>A uniformly distributed integer in [0, <paramref name="toExclusive"/>).</summary>
    int NextInt(int toExclusive);
}

/// <summary><see cref="RandomNumberGenerator"/>: unpredictable, the only choice outside tests.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public static CryptoRandomSource Instance { get; } = new();

    public int NextInt(int toExclusive) => RandomNumberGenerator.GetInt32(toExclusive);
}
