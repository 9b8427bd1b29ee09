using Ndhm.Core.Errors;

namespace Ndhm.Pharmacy;

/// <summary>The capability's stable problem codes (README "Error codes").</summary>
public static class PharmacyErrors
{
    public const string InvalidPrescription = "INVALID_PRESCRIPTION";
    public const string UnknownDrug = "UNKNOWN_DRUG";
    public const string ConsultationNotFound = "CONSULTATION_NOT_FOUND";
    public const string ConsultationNotPrescribable = "CONSULTATION_NOT_PRESCRIBABLE";
    public const string NotTheConsultingDoctor = "NOT_THE_CONSULTING_DOCTOR";
    public const string PrescriptionNotFound = "PRESCRIPTION_NOT_FOUND";
    public const string PrescriptionExpired = "PRESCRIPTION_EXPIRED";
    public const string InvalidShare = "INVALID_SHARE";
    public const string NoPharmacies = "NO_PHARMACIES";
    public const string PharmacyNotFound = "PHARMACY_NOT_FOUND";
    public const string ShareNotFound = "SHARE_NOT_FOUND";
    public const string InvalidQuote = "INVALID_QUOTE";
    public const string SubstitutionNotAllowed = "SUBSTITUTION_NOT_ALLOWED";
    public const string SubstituteNotEquivalent = "SUBSTITUTE_NOT_EQUIVALENT";
    public const string QuoteNotFound = "QUOTE_NOT_FOUND";
    public const string OrderNotFound = "ORDER_NOT_FOUND";
    public const string InvalidOrderTransition = "INVALID_ORDER_STATUS";
    public const string OrderTransitionNotAllowed = "ORDER_TRANSITION_NOT_ALLOWED";
    public const string PrescriptionExhausted = "PRESCRIPTION_EXHAUSTED";
    public const string InvalidRegisterQuery = "INVALID_REGISTER_QUERY";

    public static DomainException Invalid(string code, string detail, string? field = null) =>
        new(ErrorKind.Validation, code, "The request is invalid.", detail,
            field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static DomainException PrescriptionMissing() =>
        new(ErrorKind.NotFound, PrescriptionNotFound, "No such prescription.");

    public static DomainException OrderMissing() => new(ErrorKind.NotFound, OrderNotFound, "No such order.");

    public static DomainException ShareMissing() => new(ErrorKind.NotFound, ShareNotFound, "No such prescription share.");

    public static DomainException Expired(DateTimeOffset validUntil) =>
        new(ErrorKind.Gone, PrescriptionExpired, "The prescription has expired.",
            $"The prescription was valid until {validUntil:O}; ask the doctor for a new one.");
}
