using Ndhm.Core.Errors;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Registry.Professionals;

public enum ProfessionalCategory
{
    Doctor,
    Nurse,
    Pharmacist,
}

/// <summary>
/// A registered healthcare professional (HPR). The council registration (council + number) is unique across the
/// registry. The verification and deactivation rules are <see cref="RegistryEntry{TSelf}"/>'s; what verification
/// checked here, against the council's register, is the name, category, council registration and qualifications.
/// A deactivated professional may not prescribe or consult.
/// </summary>
public sealed record Professional : RegistryEntry<Professional>
{
    public required HprId Id { get; init; }

    /// <summary>The professional's address, e.g. <c>anita.sharma@hpr.sbx</c>. An identifier: it stays when the name changes.</summary>
    public required string HprAddress { get; init; }
    public required string Name { get; init; }
    public required ProfessionalCategory Category { get; init; }
    public required string Council { get; init; }
    public required string RegistrationNumber { get; init; }
    public required IReadOnlyList<string> Qualifications { get; init; }
    public required IReadOnlyList<string> Specialties { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    public required IReadOnlyList<FacilityId> FacilityIds { get; init; }

    /// <summary>Not part of the public register (see <see cref="ProfessionalPersonal"/>); null when none was given, and in search results.</summary>
    public ProfessionalPersonal? Personal { get; init; }

    public static Professional Register(HprId id, string hprAddress, ProfessionalDetails details, Registrant registrant, DateTimeOffset now) =>
        new()
        {
            Id = id,
            HprAddress = hprAddress,
            Name = details.Name,
            Category = details.Category,
            Council = details.Council,
            RegistrationNumber = details.RegistrationNumber,
            Qualifications = details.Qualifications,
            Specialties = details.Specialties,
            Languages = details.Languages,
            FacilityIds = details.FacilityIds,
            Personal = details.Personal,
            // Council registrations are checked by the registry's admins before anyone may prescribe, whoever registers.
            Verified = false,
            RegisteredBy = registrant.Subject,
            CreatedAt = now,
            UpdatedAt = now,
        };

    /// <summary>Whether this is the professional's council registration (compared as the uniqueness claim compares it).</summary>
    public bool HoldsCouncilRegistration(string council, string registrationNumber) =>
        string.Equals(Council, council, StringComparison.OrdinalIgnoreCase)
        && string.Equals(RegistrationNumber, registrationNumber, StringComparison.OrdinalIgnoreCase);

    public Professional Update(ProfessionalDetails details, Registrant registrant, DateTimeOffset now)
    {
        EnsureActive();
        var checkedFactsChanged = details.Name != Name || details.Category != Category
                                  || !HoldsCouncilRegistration(details.Council, details.RegistrationNumber)
                                  || !Qualifications.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(details.Qualifications);
        var changed = this with
        {
            Name = details.Name,
            Category = details.Category,
            Council = details.Council,
            RegistrationNumber = details.RegistrationNumber,
            Qualifications = details.Qualifications,
            Specialties = details.Specialties,
            Languages = details.Languages,
            FacilityIds = details.FacilityIds,
            Personal = details.Personal,
        };
        return changed.Changed(checkedFactsChanged, registrant, now);
    }

    protected override DomainException Frozen() =>
        new(ErrorKind.Conflict, RegistryErrors.ProfessionalInactive, "The professional is deactivated.",
            $"Professional {Id} was deactivated ({Deactivation!.Reason}); a platform admin must reactivate them before they change.");
}
