using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Documents;

/// <summary>
/// The identity documents ABDM's <c>enrol/byDocument</c> accepts. Only the driving licence: ABDM's enrolment API
/// names no other (PAN is not an accepted ABHA document), so any other type is DOCUMENT_TYPE_UNSUPPORTED.
/// </summary>
public enum IdentityDocumentType
{
    [JsonStringEnumMemberName("DRIVING_LICENCE")] DrivingLicence,
}

/// <summary>Error codes of document enrolment and review.</summary>
public static class DocumentErrors
{
    public const string DocumentTypeUnsupported = "DOCUMENT_TYPE_UNSUPPORTED";
    public const string DocumentIdInvalid = "DOCUMENT_ID_INVALID";
    public const string DocumentPhotoInvalid = "DOCUMENT_PHOTO_INVALID";
    public const string DocumentPhotoTooLarge = "DOCUMENT_PHOTO_TOO_LARGE";
    public const string DocumentMismatch = "DOCUMENT_MISMATCH";
    public const string DocumentAlreadyEnrolled = "DOCUMENT_ALREADY_ENROLLED";
    public const string ReviewNotFound = "DOCUMENT_REVIEW_NOT_FOUND";
    public const string ReviewAlreadyDecided = "DOCUMENT_REVIEW_DECIDED";
    public const string FacilityNotVerified = "FACILITY_NOT_VERIFIED";

    public static IdentityDocumentType ParseType(string? value) =>
        string.Equals(value?.Trim(), "DRIVING_LICENCE", StringComparison.OrdinalIgnoreCase)
            ? IdentityDocumentType.DrivingLicence
            : throw new DomainException(ErrorKind.Validation, DocumentTypeUnsupported, "Document type not accepted",
                "documentType must be DRIVING_LICENCE (the only document ABDM accepts for enrolment besides Aadhaar).");
}

/// <summary>
/// An Indian driving licence number: state code (2 letters), RTO code (2 digits), year of issue (4 digits), serial
/// (7 digits), e.g. <c>BR57 2010 0099999</c>. Spaces and hyphens are dropped and letters upper-cased. Like the
/// Aadhaar number it is stored only as a keyed hash; its <see cref="ToString"/> masks it.
/// </summary>
public sealed class DrivingLicenceNumber
{
    private DrivingLicenceNumber(string canonical) => Canonical = canonical;

    /// <summary>The 15 characters without separators; internal to this assembly (hashing, the verifier port).</summary>
    internal string Canonical { get; }

    /// <summary>The 7-digit serial (the sandbox registry decides by its first digit).</summary>
    public string Serial => Canonical[8..];

    public static DrivingLicenceNumber Parse(string? value)
    {
        var compact = new string((value ?? "").Where(c => c is not (' ' or '-')).ToArray()).ToUpperInvariant();
        if (compact.Length != 15 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1])
            || !compact[2..].All(char.IsAsciiDigit))
            throw new DomainException(ErrorKind.Validation, DocumentErrors.DocumentIdInvalid, "Driving licence number invalid",
                "documentId must be a driving licence number: 2 letters (state), 2 digits (RTO), 4 digits (year of issue) and 7 digits, e.g. BR5720100099999.");
        var year = int.Parse(compact[4..8], System.Globalization.CultureInfo.InvariantCulture);
        if (year is < 1950 or > 2100)
            throw new DomainException(ErrorKind.Validation, DocumentErrors.DocumentIdInvalid, "Driving licence number invalid",
                "The year of issue in the driving licence number (characters 5 to 8) is not a plausible year.");
        return new DrivingLicenceNumber(compact);
    }

    public override string ToString() => Canonical[..2] + "XX-XXXX-XXX" + Canonical[^4..];
}
