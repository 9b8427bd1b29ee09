using System.Text.Json.Serialization;
using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Documents;

/// <summary>What the issuing registry (Sarathi for driving licences) says about the submitted details.</summary>
public enum DocumentVerdict
{
    /// <summary>The registry holds this document with the submitted name, birth date and gender.</summary>
    Verified,

    /// <summary>The registry holds this document for other details: the enrolment is refused.</summary>
    Mismatch,

    /// <summary>The registry cannot tell (no record, record without these fields): a verifier at a facility decides.</summary>
    Undecidable,
}

/// <summary>The details checked against the registry.</summary>
public sealed record DocumentCheck(IdentityDocumentType Type, DrivingLicenceNumber Number, PersonName Name, DateOfBirth DateOfBirth, Gender Gender);

/// <summary>Port: the document registry. The sandbox adapter is <see cref="SimulatedDocumentVerifier"/>.</summary>
public interface IDocumentVerifier
{
    Task<DocumentVerdict> VerifyAsync(DocumentCheck check, CancellationToken ct);
}

/// <summary>
/// The sandbox's driving licence registry, deciding by the first digit of the 7-digit serial (the last 7 characters):
/// <c>1</c> the registry holds the licence with exactly the submitted details (VERIFIED); <c>8</c> it holds it for
/// someone else (MISMATCH); anything else it has no usable record (UNDECIDABLE: manual review at a facility).
/// For example <c>MH1220151234567</c> verifies, <c>MH1220158234567</c> mismatches, <c>BR5720100099999</c> (ABDM's
/// example) goes to review.
/// </summary>
public sealed class SimulatedDocumentVerifier : IDocumentVerifier
{
    public Task<DocumentVerdict> VerifyAsync(DocumentCheck check, CancellationToken ct) =>
        Task.FromResult(check.Number.Serial[0] switch
        {
            '1' => DocumentVerdict.Verified,
            '8' => DocumentVerdict.Mismatch,
            _ => DocumentVerdict.Undecidable,
        });
}

/// <summary>Where no registry adapter is configured: the registry never decides, every document goes to a verifier.</summary>
public sealed class ManualReviewOnlyDocumentVerifier : IDocumentVerifier
{
    public Task<DocumentVerdict> VerifyAsync(DocumentCheck check, CancellationToken ct) => Task.FromResult(DocumentVerdict.Undecidable);
}

/// <summary>Where a document enrolment stands.</summary>
public enum DocumentVerificationState
{
    /// <summary>Waiting for a verifier at a facility (ABDM's PROVISIONAL enrolment).</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,
    [JsonStringEnumMemberName("VERIFIED")] Verified,
    [JsonStringEnumMemberName("REJECTED")] Rejected,
}

/// <summary>
/// The document behind an account enrolled by document (<c>document</c> on the account): its type, the keyed hash
/// of its number (never the number), the state, and who decided it when a verifier did.
/// </summary>
public sealed record DocumentKyc(
    IdentityDocumentType DocumentType,
    string DocumentHash,
    DocumentVerificationState State,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? DecidedAt = null,
    string? DecidedBy = null,
    string? DecidedAtFacility = null,
    string? Reason = null);
