using Ndhm.Core.Security;
using Ndhm.HealthId.Documents;

namespace Ndhm.Triggers.HealthId;

/// <summary>The verifier behind a document review call: the health worker and the facility their token names.</summary>
internal static class DocumentReviewHttp
{
    public static DocumentReviewer Reviewer(CallerIdentity caller) =>
        new(caller.Subject, caller.Claims.GetValueOrDefault("facilityId"));

    public static string TypeName(IdentityDocumentType type) => type switch
    {
        IdentityDocumentType.DrivingLicence => "DRIVING_LICENCE",
        _ => type.ToString(),
    };

    public static string StateName(DocumentVerificationState state) => state.ToString().ToUpperInvariant();
}
