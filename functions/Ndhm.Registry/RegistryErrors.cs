using Ndhm.Core.Errors;

namespace Ndhm.Registry;

/// <summary>Error codes of the facility (HFR) and professional (HPR) registries. Clients switch on them.</summary>
public static class RegistryErrors
{
    public const string InvalidFacilityId = "INVALID_FACILITY_ID";
    public const string InvalidHprId = "INVALID_HPR_ID";
    public const string InvalidFacility = "INVALID_FACILITY";
    public const string InvalidProfessional = "INVALID_PROFESSIONAL";
    public const string InvalidSearch = "INVALID_SEARCH";
    public const string InvalidContinuationToken = "INVALID_CONTINUATION_TOKEN";
    public const string UnknownStateCode = "UNKNOWN_STATE_CODE";
    public const string FacilityNotFound = "FACILITY_NOT_FOUND";
    public const string ProfessionalNotFound = "PROFESSIONAL_NOT_FOUND";
    public const string UnknownFacility = "UNKNOWN_FACILITY";
    public const string FacilityNotVerified = "FACILITY_NOT_VERIFIED";
    public const string ProfessionalNotVerified = "PROFESSIONAL_NOT_VERIFIED";
    public const string DuplicateCouncilRegistration = "DUPLICATE_COUNCIL_REGISTRATION";
    public const string FacilityInactive = "FACILITY_INACTIVE";
    public const string ProfessionalInactive = "PROFESSIONAL_INACTIVE";
    public const string NotFacilityOwner = "NOT_FACILITY_OWNER";
    public const string NotProfessionalOwner = "NOT_PROFESSIONAL_OWNER";
    public const string InvalidDeactivationReason = "INVALID_DEACTIVATION_REASON";
    public const string IfMatchRequired = "IF_MATCH_REQUIRED";
    public const string IdSpaceExhausted = "ID_ALLOCATION_FAILED";

    /// <summary>The entry changed since the caller read it (412): its If-Match is not the current ETag.</summary>
    public static DomainException ConcurrentUpdate() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The entry changed since it was read.",
            "Read it again and retry with its current ETag in If-Match.");

    public static DomainException NoSuchFacility() => new(ErrorKind.NotFound, FacilityNotFound, "No facility has this id.");

    public static DomainException NoSuchProfessional() => new(ErrorKind.NotFound, ProfessionalNotFound, "No professional has this id.");

    internal static DomainException Invalid(string code, string title, string detail) =>
        new(ErrorKind.Validation, code, title, detail);
}
