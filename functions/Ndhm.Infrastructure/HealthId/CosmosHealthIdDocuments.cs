using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// Small documents of the <c>health-ids</c> container besides the accounts. Each is its own partition (id = pk), so
/// every access is a point operation. Kinds: <c>numberReservation</c> (id <c>number:{digits}</c>),
/// <c>aadhaarClaim</c> (id <c>aadhaar:{hash}</c>), <c>addressClaim</c> (id = the lower-case address).
/// </summary>
public sealed record HealthIdClaimDocument(string Id, string Pk, string Kind, string AbhaNumber, DateTimeOffset CreatedAt);

/// <summary>
/// An address claim (kind <c>addressClaim</c>, id = pk = the lower-case address) with the holder's
/// <see cref="AbhaLookupView"/>, so a lookup by address is one point read. <see cref="View"/> is null in claims
/// written before views existed (they are resolved through the account until the account next changes).
/// </summary>
public sealed record AbhaAddressClaimDocument(string Id, string Pk, string Kind, string AbhaNumber, DateTimeOffset CreatedAt,
    AbhaLookupView? View);

/// <summary>Maps Cosmos failures to domain errors at the adapter boundary, like every other adapter.</summary>
internal static class CosmosHealthIdErrors
{
    public static DomainException ConcurrentUpdate() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The document changed meanwhile",
            "Someone else changed this record at the same moment; read it again and retry.");

    public static DomainException AlreadyExists() =>
        new(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "The document already exists",
            "A record with this id was created at the same moment.");
}
