namespace Ndhm.Registry.Professionals;

/// <summary>
/// A professional's personal details: how the registry reaches them and their date of birth. Unlike the register
/// itself (name, category, council registration, qualifications, specialties, languages, facilities), which is public
/// so that patients and partners can check who may prescribe, these are personal data: stored encrypted under the
/// professional's own data key, shown only to platform admins and the partner that registered them, never in searches.
/// </summary>
public sealed record ProfessionalPersonal(string? Mobile, string? Email, DateOnly? DateOfBirth);

/// <summary>As a caller sends it; validated by <see cref="ProfessionalValidation"/>.</summary>
public sealed record ProfessionalPersonalInput(string? Mobile, string? Email, string? DateOfBirth);
