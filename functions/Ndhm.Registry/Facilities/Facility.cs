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
/// A registered health facility (HFR). One document per facility, updated with ETag If-Match. State changes go
/// through the methods, which keep the verification rules: verification is granted by a platform admin only, and a
/// partner's change to what was verified (name, type, ownership, address, location) withdraws it.
/// </summary>
public sealed record Facility
{
    public required FacilityId Id { get; init; }
    public required string Name { get; init; }
    public required FacilityType Type { get; init; }
    public required FacilityOwnership Ownership { get; init; }
    public required IReadOnlyList<SystemOfMedicine> SystemsOfMedicine { get; init; }
    public required FacilityAddress Address { get; init; }
    public required GeoPoint Location { get; init; }
    public required FacilityContact Contact { get; init; }
    public required bool Verified { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }
    public string? VerifiedBy { get; init; }

    /// <summary>Subject (partner client id or admin id) of the caller that registered the facility.</summary>
    public required string RegisteredBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

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
        var verifiedFactsChanged = details.Name != Name || details.Type != Type || details.Ownership != Ownership
                                   || details.Address != Address || details.Location != Location;
        var keepVerification = Verified && (registrant.IsPlatformAdmin || !verifiedFactsChanged);
        return this with
        {
            Name = details.Name,
            Type = details.Type,
            Ownership = details.Ownership,
            SystemsOfMedicine = details.SystemsOfMedicine,
            Address = details.Address,
            Location = details.Location,
            Contact = details.Contact,
            Verified = keepVerification,
            VerifiedAt = keepVerification ? VerifiedAt : null,
            VerifiedBy = keepVerification ? VerifiedBy : null,
            UpdatedAt = now,
        };
    }

    public Facility Verify(string adminSubject, DateTimeOffset now) =>
        Verified ? this : this with { Verified = true, VerifiedAt = now, VerifiedBy = adminSubject, UpdatedAt = now };
}

/// <summary>Who is registering or changing a registry entry.</summary>
public sealed record Registrant(string Subject, bool IsPlatformAdmin);

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
