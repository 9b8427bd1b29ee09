using System.Text.RegularExpressions;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Consent;

/// <summary>
/// Checks what a consent request says on its own (shape, codes, dates); <see cref="ConsentManager"/> then checks it
/// against the registries (the HIU is the caller's verified facility, the requester a verified professional).
/// Every refusal names its field.
/// </summary>
public static partial class ConsentRequestValidation
{
    public const int MaxCareContexts = 100;
    public const int MaxText = 256;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}@[a-z0-9-]{1,32}$")]
    private static partial Regex AbhaAddressPattern();

    public static bool IsAbhaAddress(string? value) => value is not null && AbhaAddressPattern().IsMatch(value);

    public static ConsentRequestDetail Validate(ConsentRequestInput? input, DateTimeOffset now)
    {
        if (input is null) throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "consent is required.", "consent");
        var purpose = Purpose(input.Purpose);
        var patientId = input.Patient?.Id?.Trim();
        if (!IsAbhaAddress(patientId?.ToLowerInvariant()))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidPatient, "patient.id must be the patient's ABHA address (handle@suffix).", "consent.patient.id");
        var hiu = Facility(input.Hiu?.Id, "consent.hiu.id", ConsentErrors.InvalidConsentRequest);
        var hip = input.Hip?.Id is null ? null : Facility(input.Hip.Id, "consent.hip.id", ConsentErrors.InvalidHip);
        if (hip is not null && hip == hiu)
            throw ConsentErrors.Invalid(ConsentErrors.HipIsHiu, "The HIP and the HIU must be different facilities.", "consent.hip.id", ConsentErrors.Abdm.HipIsHiu);
        var careContexts = CareContexts(input.CareContexts, hip);
        var requester = RequesterOf(input.Requester);
        var hiTypes = HiTypes(input.HiTypes, "consent.hiTypes");
        var permission = PermissionOf(input.Permission, now);
        return new ConsentRequestDetail(purpose, new IdReference(patientId!.ToLowerInvariant()), hip is null ? null : new IdReference(hip),
            careContexts, new IdReference(hiu), requester, hiTypes, permission);
    }

    public static IReadOnlyList<string> HiTypes(IReadOnlyList<string?>? given, string field)
    {
        if (given is null || given.Count == 0) throw ConsentErrors.Invalid(ConsentErrors.InvalidHiType, "hiTypes must name at least one type.", field);
        var unknown = given.Where(t => t is null || !ConsentCodes.HiTypes.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw ConsentErrors.Invalid(ConsentErrors.InvalidHiType, $"Unknown hiTypes; allowed: {string.Join(", ", ConsentCodes.HiTypes)}.", field);
        return given.Select(t => t!).Distinct(StringComparer.Ordinal).ToList();
    }

    public static DateRange Range(DateRangeInput? range, string field)
    {
        if (range?.From is not { } from || range.To is not { } to)
            throw ConsentErrors.Invalid(ConsentErrors.InvalidDateRange, "dateRange.from and dateRange.to are required.", field, ConsentErrors.Abdm.InvalidDateRange);
        if (from >= to)
            throw ConsentErrors.Invalid(ConsentErrors.InvalidDateRange, "dateRange.from must be before dateRange.to.", field, ConsentErrors.Abdm.InvalidDateRange);
        return new DateRange(from.ToUniversalTime(), to.ToUniversalTime());
    }

    public static string Facility(string? id, string field, string code) =>
        FacilityId.TryParse(id?.Trim(), out var parsed)
            ? parsed.Value
            : throw ConsentErrors.Invalid(code, $"{field} must be a facility id (HFR, e.g. IN2810014366).", field,
                code == ConsentErrors.InvalidHip ? ConsentErrors.Abdm.InvalidHip : ConsentErrors.Abdm.InvalidRequest);

    private static ConsentPurpose Purpose(PurposeInput? purpose)
    {
        if (purpose?.Code is not { } code || !ConsentCodes.Purposes.Contains(code))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidPurpose, $"purpose.code must be one of {string.Join(", ", ConsentCodes.Purposes)}.", "consent.purpose.code");
        var text = Text(purpose.Text, "consent.purpose.text", required: true)!;
        if (purpose.RefUri is { } uri && !Uri.TryCreate(uri, UriKind.Absolute, out _))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidPurpose, "purpose.refUri must be an absolute URI.", "consent.purpose.refUri");
        return new ConsentPurpose(text, code, purpose.RefUri);
    }

    private static IReadOnlyList<CareContextRef>? CareContexts(IReadOnlyList<CareContextInput?>? given, string? hip)
    {
        if (given is null || given.Count == 0) return null;
        if (hip is null)
            throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "careContexts belong to a HIP: name consent.hip.id with them.", "consent.careContexts");
        if (given.Count > MaxCareContexts)
            throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"At most {MaxCareContexts} care contexts.", "consent.careContexts");
        return given.Select((c, i) => new CareContextRef(
                Text(c?.PatientReference, $"consent.careContexts[{i}].patientReference", required: true)!,
                Text(c?.CareContextReference, $"consent.careContexts[{i}].careContextReference", required: true)!))
            .Distinct().ToList();
    }

    private static Requester RequesterOf(RequesterInput? requester)
    {
        var name = Text(requester?.Name, "consent.requester.name", required: true)!;
        var value = requester?.Identifier?.Value?.Trim();
        if (!HprId.TryParse(value, out _))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest,
                "requester.identifier.value must be the requester's HPR id (14 digits).", "consent.requester.identifier.value");
        return new Requester(name, new RequesterIdentifier(Text(requester!.Identifier!.Type, "consent.requester.identifier.type", required: false) ?? "HPR",
            value, Text(requester.Identifier.System, "consent.requester.identifier.system", required: false)));
    }

    private static Permission PermissionOf(PermissionInput? permission, DateTimeOffset now)
    {
        if (permission is null) throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "permission is required.", "consent.permission");
        if (permission.AccessMode is not { } mode || !ConsentCodes.AccessModes.Contains(mode))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidAccessMode, $"accessMode must be one of {string.Join(", ", ConsentCodes.AccessModes)}.",
                "consent.permission.accessMode");
        var range = Range(permission.DateRange, "consent.permission.dateRange");
        if (permission.DataEraseAt is not { } eraseAt)
            throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "dataEraseAt is required.", "consent.permission.dataEraseAt");
        if (eraseAt <= now)
            throw ConsentErrors.Invalid(ConsentErrors.DataEraseAtInPast, "dataEraseAt must be in the future.", "consent.permission.dataEraseAt",
                ConsentErrors.Abdm.InvalidDateRange);
        var frequency = permission.Frequency;
        if (frequency?.Unit is not { } unit || !ConsentCodes.FrequencyUnits.Contains(unit))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidFrequency, $"frequency.unit must be one of {string.Join(", ", ConsentCodes.FrequencyUnits)}.",
                "consent.permission.frequency.unit");
        if (frequency.Value is not ({ } value and >= 1 and <= 1000))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidFrequency, "frequency.value must be 1 to 1000.", "consent.permission.frequency.value");
        if (frequency.Repeats is not ({ } repeats and >= 0 and <= 1000))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidFrequency, "frequency.repeats must be 0 to 1000.", "consent.permission.frequency.repeats");
        return new Permission(mode, range, eraseAt.ToUniversalTime(), new Frequency(unit, value, repeats));
    }

    private static string? Text(string? value, string field, bool required)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return required ? throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"{field} is required.", field) : null;
        return trimmed.Length > MaxText
            ? throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"{field} is longer than {MaxText} characters.", field)
            : trimmed;
    }
}
