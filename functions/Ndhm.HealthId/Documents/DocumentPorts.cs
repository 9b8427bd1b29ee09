using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Documents;

/// <summary>
/// Port: one ABHA per identity document, as <see cref="Enrolment.IIdentityClaims"/> does for Aadhaar: a create-if-absent
/// claim per document hash (id <c>document:{hash}</c>), released when the document is rejected or the account erased.
/// </summary>
public interface IDocumentClaims
{
    Task<AbhaNumber?> FindDocumentHolderAsync(string documentHash, CancellationToken ct);

    /// <summary>Claims the hash for <paramref name="number"/>; returns whoever holds it afterwards.</summary>
    Task<AbhaNumber> ClaimDocumentAsync(string documentHash, AbhaNumber number, CancellationToken ct);

    Task ReleaseDocumentAsync(string documentHash, CancellationToken ct);
}

/// <summary>
/// A document enrolment the registry could not decide, waiting for a verifier: the submitted details and photos (the
/// adapter encrypts them under the patient's key) until the decision, which removes them and keeps who decided what.
/// </summary>
public sealed record DocumentReview
{
    public required AbhaNumber AbhaNumber { get; init; }
    public required IdentityDocumentType DocumentType { get; init; }
    public required DocumentVerificationState State { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public PersonName? Name { get; init; }
    public DateOfBirth? DateOfBirth { get; init; }
    public Gender? Gender { get; init; }
    public byte[]? FrontSidePhoto { get; init; }
    public byte[]? BackSidePhoto { get; init; }
    public byte[]? Selfie { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string? DecidedAtFacility { get; init; }
    public string? Reason { get; init; }
}

/// <summary>A pending review as the queue lists it: nothing personal (the details and photos need <c>FindAsync</c>, audited).</summary>
public sealed record DocumentReviewSummary(AbhaNumber AbhaNumber, IdentityDocumentType DocumentType, DateTimeOffset SubmittedAt);

/// <summary>Port: the verifiers' queue of document reviews (Cosmos; one document per enrolment).</summary>
public interface IDocumentReviewQueue
{
    Task EnqueueAsync(DocumentReview review, CancellationToken ct);

    /// <summary>The oldest pending reviews first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DocumentReviewSummary>> ListPendingAsync(int max, CancellationToken ct);

    Task<Versioned<DocumentReview>?> FindAsync(AbhaNumber number, CancellationToken ct);

    /// <summary>If-Match replace; PreconditionFailed (CONCURRENT_UPDATE) when another verifier decided meanwhile.</summary>
    Task ReplaceAsync(DocumentReview review, string ifMatch, CancellationToken ct);
}

/// <summary>Port: whether a facility is registered, verified by the platform and active (the Registry).</summary>
public interface IFacilityStanding
{
    Task<bool> IsVerifiedAndActiveAsync(string facilityId, CancellationToken ct);
}
