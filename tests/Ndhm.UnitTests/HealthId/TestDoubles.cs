using Microsoft.Extensions.Time.Testing;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;

namespace Ndhm.UnitTests.HealthId;

/// <summary>A reproducible random source for tests.</summary>
internal sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random random = new(seed);

    public int NextInt(int toExclusive) => random.Next(toExclusive);
}

/// <summary>Replays fixed values, to steer the generator into collisions or particular codes.</summary>
internal sealed class ScriptedRandom(params int[] values) : IRandomSource
{
    private int next;

    public int NextInt(int toExclusive) => values[next++ % values.Length] % toExclusive;
}

internal sealed class FixedKeySource : IHealthIdKeySource
{
    public Dictionary<HealthIdKeyPurpose, byte[]> Keys { get; } = new()
    {
        [HealthIdKeyPurpose.IdentityHash] = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(),
        [HealthIdKeyPurpose.OtpHash] = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray(),
    };

    public ValueTask<byte[]> GetKeyAsync(HealthIdKeyPurpose purpose, CancellationToken ct) => ValueTask.FromResult(Keys[purpose]);
}

internal sealed class InMemoryReservations : IAbhaNumberReservations
{
    public HashSet<AbhaNumber> Reserved { get; } = [];

    public Task<bool> TryReserveAsync(AbhaNumber number, CancellationToken ct) => Task.FromResult(Reserved.Add(number));
}

internal sealed class TakenAddresses(params string[] taken) : IAbhaAddressAvailability
{
    public HashSet<string> Taken { get; } = new(taken, StringComparer.Ordinal);
    public int Calls { get; private set; }

    public Task<IReadOnlySet<AbhaAddress>> FindTakenAsync(IReadOnlyCollection<AbhaAddress> candidates, CancellationToken ct)
    {
        Calls++;
        IReadOnlySet<AbhaAddress> result = candidates.Where(c => Taken.Contains(c.Value)).ToHashSet();
        return Task.FromResult(result);
    }
}

internal static class Clock
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider New() => new(Start);
}

internal static class TestAccounts
{
    /// <summary>An Aadhaar-verified account with every field filled (enrolled with a health worker's help).</summary>
    public static AbhaAccount RaviKumar(TimeProvider time) => AbhaAccount.Enrol(new AbhaEnrolment
    {
        AbhaNumber = AbhaNumber.Parse("91-6285-4575-5116"),
        Name = PersonName.Create("Ravi", "Shankar", "Kumar"),
        Gender = Gender.M,
        DateOfBirth = DateOfBirth.Create(1985, 11, 3, new DateOnly(2026, 11, 25)),
        KycStatus = KycStatus.Verified,
        AadhaarHash = "aadhaar-hash",
        Mobile = MobileNumber.Parse("9000000002"),
        MobileHash = "mobile-hash",
        MobileVerified = true,
        Email = "Ravi@Example.COM",
        Address = PostalAddress.Create("Near Bus Stand", "Rohtas", "Bihar", "821307"),
        AssistedBy = new AssistedEnrolment("worker-17", "IN1010000001"),
    }, time);
}
