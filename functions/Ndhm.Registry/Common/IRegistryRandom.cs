using System.Security.Cryptography;

namespace Ndhm.Registry.Common;

/// <summary>Where registry ids get their random digits; tests substitute a fixed sequence.</summary>
public interface IRegistryRandom
{
    /// <summary>A uniformly random integer in [0, exclusiveMax).</summary>
    int Next(int exclusiveMax);
}

public sealed class CryptoRegistryRandom : IRegistryRandom
{
    public int Next(int exclusiveMax) => RandomNumberGenerator.GetInt32(exclusiveMax);
}
