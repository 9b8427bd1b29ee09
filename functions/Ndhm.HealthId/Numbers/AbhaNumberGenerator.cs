using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Numbers;

/// <summary>Draws random, well-formed ABHA numbers. Uniqueness is the allocator's job (see <see cref="AbhaNumberAllocator"/>).</summary>
public interface IAbhaNumberGenerator
{
    AbhaNumber Next();
}

/// <summary>
/// <c>91</c> + 11 random digits + the Luhn check digit. Random rather than sequential so that a number reveals
/// nothing about when or where it was issued and neighbours cannot be guessed.
/// </summary>
public sealed class AbhaNumberGenerator(IRandomSource random) : IAbhaNumberGenerator
{
    public AbhaNumberGenerator() : this(CryptoRandomSource.Instance)
    {
    }

    public AbhaNumber Next()
    {
        Span<char> body = stackalloc char[AbhaNumber.Length - 1];
        body[0] = AbhaNumber.Prefix[0];
        body[1] = AbhaNumber.Prefix[1];
        for (var i = 2; i < body.Length; i++)
            body[i] = (char)('0' + random.NextInt(10));
        return AbhaNumber.FromBody(body);
    }
}

/// <summary>
/// Port: records that a number has been issued. An adapter creates a document whose id is the number and
/// answers false on a conflict; reservations are never deleted, which is what keeps numbers from being reused
/// (an erased account's number stays reserved forever).
/// </summary>
public interface IAbhaNumberReservations
{
    /// <summary>True when <paramref name="number"/> was free and is now reserved; false when it was already taken.</summary>
    Task<bool> TryReserveAsync(AbhaNumber number, CancellationToken ct);
}

/// <summary>Draws random numbers until one can be reserved.</summary>
public sealed class AbhaNumberAllocator(IAbhaNumberGenerator generator, IAbhaNumberReservations reservations)
{
    /// <summary>With 10^11 numbers, a few collisions in a row mean something is broken, not that we are unlucky.</summary>
    public const int MaxDraws = 8;

    public async Task<AbhaNumber> AllocateAsync(CancellationToken ct)
    {
        for (var draw = 0; draw < MaxDraws; draw++)
        {
            var candidate = generator.Next();
            if (await reservations.TryReserveAsync(candidate, ct).ConfigureAwait(false))
                return candidate;
        }
        throw new DomainException(ErrorKind.DependencyUnavailable, HealthIdErrors.AbhaNumberUnavailable,
            "No ABHA number could be reserved", $"{MaxDraws} random numbers in a row were already taken.")
        {
            RetryAfterSeconds = 5,
        };
    }
}
