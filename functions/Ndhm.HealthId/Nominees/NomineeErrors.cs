using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Nominees;

/// <summary>The nominee's stable error codes.</summary>
public static class NomineeErrors
{
    public const string NotFound = "NOMINEE_NOT_FOUND";
    public const string Self = "NOMINEE_SELF";
    public const string NotEligible = "NOMINEE_NOT_ELIGIBLE";
    public const string EvidenceInvalid = "NOMINEE_EVIDENCE_INVALID";

    public static DomainException None() =>
        new(ErrorKind.NotFound, NotFound, "No nominee", "This ABHA has no nominee.");

    public static DomainException SelfNomination() =>
        new(ErrorKind.Validation, Self, "A patient cannot nominate themselves",
            "The nominee's ABHA address belongs to this ABHA; name someone else.");

    /// <summary>Unknown, deactivated and deleted nominees get the same answer: it does not tell which.</summary>
    public static DomainException Ineligible() =>
        new(ErrorKind.Validation, NotEligible, "The nominee cannot be named",
            "The nominee's ABHA address must belong to an existing, active ABHA.");
}
