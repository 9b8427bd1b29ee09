using Ndhm.Core.Errors;
using Ndhm.Registry.Common;

namespace Ndhm.Registry.Facilities;

public sealed record FacilityAddress(
    string AddressLine,
    string? City,
    string District,
    string StateCode,
    string StateName,
    string Pincode);

public sealed record FacilityContact(string? Phone, string? Email, string? Website);

/// <summary>
/// A registered health facility (HFR). One document per facility, updated with ETag If-Match. The verification and
/// deactivation rules are <see cref="RegistryEntry{TSelf}"/>'s; what verification checked here is the name, type,
/// ownership, address and location. A deactivated facility (closed) may not act as a HIP whatever its verification.
/// </summary>
public sealed record Facility : RegistryEntry<Facility>
{
    public required FacilityId Id { get; init; }
    public required string Name { get; init; }
    public required FacilityType Type { get; init; }
    public required FacilityOwnership Ownership { get; init; }
    public required IReadOnlyList<SystemOfMedicine> SystemsOfMedicine { get; init; }
    public required FacilityAddress Address { get; init; }
    public required GeoPoint Location { get; init; }
    public required FacilityContact Contact { get; init; }

    public static Facility Register(FacilityId id, FacilityDetails details, Registrant registrant, DateTimeOffset now) => new()
    {
        Id = id,
        Name = details.Name,
        Type = details.Type,
        Ownership = details.Ownership,
        SystemsOfMedicine = details.SystemsOfMedicine,
        Address = details.Address,
        Location = details.Location,
        Contact = details.Contact,
        // A platform admin registering a facility vouches for it; a partner's registration awaits verification.
        Verified = registrant.IsPlatformAdmin,
        VerifiedAt = registrant.IsPlatformAdmin ? now : null,
        VerifiedBy = registrant.IsPlatformAdmin ? registrant.Subject : null,
        RegisteredBy = registrant.Subject,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public Facility Update(FacilityDetails details, Registrant registrant, DateTimeOffset now)
    {
        EnsureActive();
        var checkedFactsChanged = details.Name != Name || details.Type != Type || details.Ownership != Ownership
                                  || details.Address != Address || details.Location != Location;
        var changed = this with
        {
            Name = details.Name,
            Type = details.Type,
            Ownership = details.Ownership,
            SystemsOfMedicine = details.SystemsOfMedicine,
            Address = details.Address,
            Location = details.Location,
            Contact = details.Contact,
        };
        return changed.Changed(checkedFactsChanged, registrant, now);
    }

    protected override DomainException Frozen() =>
        new(ErrorKind.Conflict, RegistryErrors.FacilityInactive, "The facility is deactivated.",
            $"Facility {Id} was deactivated ({Deactivation!.Reason}); a platform admin must reactivate it before it changes.");
}

/// <summary>What a caller may set on a facility, validated (see <see cref="FacilityValidation"/>).</summary>
public sealed record FacilityDetails(
    string Name,
    FacilityType Type,
    FacilityOwnership Ownership,
    IReadOnlyList<SystemOfMedicine> SystemsOfMedicine,
    FacilityAddress Address,
    GeoPoint Location,
    FacilityContact Contact)
{
    public bool Equals(FacilityDetails? other) =>
        other is not null && Name == other.Name && Type == other.Type && Ownership == other.Ownership
        && SystemsOfMedicine.SequenceEqual(other.SystemsOfMedicine) && Address == other.Address
        && Location == other.Location && Contact == other.Contact;

    public override int GetHashCode() => HashCode.Combine(Name, Type, Ownership, Address, Location, Contact);
}
