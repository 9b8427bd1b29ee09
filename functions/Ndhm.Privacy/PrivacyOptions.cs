namespace Ndhm.Privacy;

public sealed class PrivacyOptions
{
    /// <summary>
    /// How long an unwrapped data key stays in memory. It also bounds how long another instance can still decrypt a
    /// subject's data after they were erased (the erasing instance drops the key at once).
    /// </summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many unwrapped data keys in memory (32 bytes each, plus bookkeeping); least recently used go first.</summary>
    public int KeyCacheCapacity { get; init; } = 10_000;
}
