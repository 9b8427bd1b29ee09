using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;

namespace Ndhm.Consent;

/// <summary>
/// The consent manager's stable codes. Where ABDM publishes a code for the same failure it is carried beside ours
/// (<see cref="AbdmCode"/> in the problem's extensions, and as the code of the <c>{"error":{...}}</c> of a callback).
/// </summary>
public static class ConsentErrors
{
    public const string InvalidConsentRequest = "INVALID_CONSENT_REQUEST";
    public const string InvalidPurpose = "INVALID_PURPOSE";
    public const string InvalidHiType = "INVALID_HI_TYPE";
    public const string InvalidAccessMode = "INVALID_ACCESS_MODE";
    public const string InvalidFrequency = "INVALID_FREQUENCY";
    public const string InvalidDateRange = "INVALID_DATE_RANGE";
    public const string DataEraseAtInPast = "DATA_ERASE_AT_IN_PAST";
    public const string InvalidPatient = "INVALID_PATIENT";
    public const string PatientNotFound = "PATIENT_NOT_FOUND";
    public const string HiuNotServed = "HIU_NOT_SERVED";
    public const string HiuNotVerified = "HIU_NOT_VERIFIED";
    public const string RequesterNotVerified = "REQUESTER_NOT_VERIFIED";
    public const string HipIsHiu = "HIP_IS_HIU";
    public const string InvalidHip = "INVALID_HIP";
    public const string EmergencyNotAllowed = "EMERGENCY_NOT_ALLOWED";
    public const string ConsentRequestNotFound = "CONSENT_REQUEST_NOT_FOUND";
    public const string ConsentNotFound = "CONSENT_NOT_FOUND";
    public const string ConsentNotPending = "CONSENT_NOT_PENDING";
    public const string ConsentNotGranted = "CONSENT_NOT_GRANTED";
    public const string ConsentExpired = "CONSENT_EXPIRED";
    public const string GrantWidens = "GRANT_WIDENS";
    public const string NotAParty = "NOT_A_PARTY";
    public const string NotPatientsConsent = "NOT_PATIENTS_CONSENT";
    public const string CareContextNotLinked = "CARE_CONTEXT_NOT_LINKED";

    /// <summary>ABDM's codes for the consent manager's failures (the platform's catalogue, <see cref="AbdmErrors"/>).</summary>
    public static class Abdm
    {
        public const string InvalidRequest = AbdmErrors.InvalidRequest;
        public const string HipIsHiu = AbdmErrors.SameHipAndHiu;
        public const string InvalidHip = AbdmErrors.InvalidHip;
        public const string InvalidHiu = AbdmErrors.InvalidHiu;
        public const string InvalidPatient = AbdmErrors.InvalidPatient;
        public const string ConsentExpired = AbdmErrors.ConsentExpired;
        public const string ConsentNotGranted = AbdmErrors.ConsentNotGranted;
        public const string InvalidDateRange = AbdmErrors.InvalidDateRange;
        public const string ConsentNotFound = AbdmErrors.NotFound;
        public const string Unauthorized = AbdmErrors.Unauthorized;
    }

    /// <summary>The extension naming ABDM's code for the same failure.</summary>
    public const string AbdmCode = AbdmErrors.ExtensionKey;

    /// <summary>The extension naming the offending field.</summary>
    public const string Field = "field";

    public static DomainException Invalid(string code, string detail, string? field = null, string abdm = Abdm.InvalidRequest) =>
        new(ErrorKind.Validation, code, "The consent request is invalid.",
            field is null || detail.Contains(field, StringComparison.Ordinal) ? detail : $"{field}: {detail}", Extensions(abdm, field));

    public static DomainException Widens(string field, string detail) =>
        new(ErrorKind.Validation, GrantWidens, "A grant may narrow the request, never widen it.", detail, Extensions(Abdm.InvalidRequest, field));

    /// <summary>A grant naming a care context the patient has not linked at that HIP (ABDM has no closer code than ABDM-1017).</summary>
    public static DomainException NotLinked(string field, string hipId, CareContextRef context) =>
        new(ErrorKind.Validation, CareContextNotLinked, "Only care contexts linked to the patient at that HIP can be shared.",
            $"{field}: care context {context.CareContextReference} (patient reference {context.PatientReference}) is not linked at {hipId}.",
            Extensions(Abdm.InvalidRequest, field));

    public static DomainException RequestNotFound() =>
        new(ErrorKind.NotFound, ConsentRequestNotFound, "No such consent request.", null, Extensions(Abdm.ConsentNotFound, null));

    public static DomainException ConsentMissing() =>
        new(ErrorKind.NotFound, ConsentNotFound, "No such consent artefact.", null, Extensions(Abdm.ConsentNotFound, null));

    public static DomainException NotPending(ConsentStatus status) =>
        new(ErrorKind.Conflict, ConsentNotPending, "The consent request is no longer awaiting a decision.",
            $"Its status is {ConsentStatuses.Name(status)}.", Extensions(status == ConsentStatus.Expired ? Abdm.ConsentExpired : Abdm.InvalidRequest, null));

    public static DomainException NotGranted(ConsentStatus status) =>
        new(ErrorKind.Conflict, status == ConsentStatus.Expired ? ConsentExpired : ConsentNotGranted,
            status == ConsentStatus.Expired ? "The consent has expired." : "The consent is not granted.",
            $"Its status is {ConsentStatuses.Name(status)}.", Extensions(status == ConsentStatus.Expired ? Abdm.ConsentExpired : Abdm.ConsentNotGranted, null));

    private static Dictionary<string, object?> Extensions(string abdm, string? field)
    {
        var extensions = new Dictionary<string, object?> { [AbdmCode] = abdm };
        if (field is not null) extensions[Field] = field;
        return extensions;
    }
}
