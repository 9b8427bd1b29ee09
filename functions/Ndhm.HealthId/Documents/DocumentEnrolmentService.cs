using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Documents;

/// <summary>An enrolment by document as submitted (already checked by the value types).</summary>
public sealed record DocumentEnrolmentDetails(
    MobileNumber Mobile,
    IdentityDocumentType DocumentType,
    DrivingLicenceNumber DocumentNumber,
    PersonName Name,
    DateOfBirth DateOfBirth,
    Gender Gender,
    DocumentPhoto FrontSidePhoto,
    DocumentPhoto BackSidePhoto,
    AcceptedConsent Consent)
{
    public DocumentPhoto? Selfie { get; init; }
    public string? Email { get; init; }
    public PostalAddress? Address { get; init; }
    public AssistedEnrolment? AssistedBy { get; init; }
}

/// <summary>
/// Enrolment by identity document (ABDM <c>enrol/byDocument</c>) and the verifiers' review of the ones the registry
/// could not decide. One ABHA per document: the keyed hash of its number is claimed create-if-absent.
/// </summary>
public sealed class DocumentEnrolmentService(
    IDocumentVerifier verifier,
    IDocumentClaims documentClaims,
    IDocumentReviewQueue reviews,
    IFacilityStanding facilities,
    OtpService otp,
    AbhaNumberAllocator allocator,
    IAbhaAccountStore accounts,
    IIdentityHasher hasher,
    HealthIdAudit audit,
    TimeProvider time)
{
    public const int MaxListed = 50;

    /// <summary>
    /// Checks the document (a document another live ABHA holds is DOCUMENT_ALREADY_ENROLLED; a registry mismatch is
    /// DOCUMENT_MISMATCH; neither spends the OTP), then spends the verified mobile-enrolment transaction and opens the
    /// account: document VERIFIED when the registry confirmed it, else PENDING with a review for a verifier (the photos
    /// go only there, and only then). The OTP is verified after the document checks, so a refused document does not
    /// cost the person their code.
    /// </summary>
    public async Task<AbhaAccount> EnrolAsync(string txnId, string otpValue, DocumentEnrolmentDetails d, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(d);
        var hash = await hasher.HashDrivingLicenceAsync(d.DocumentNumber, ct).ConfigureAwait(false);
        await EnsureNotEnrolledAsync(hash, ct).ConfigureAwait(false);

        var verdict = await verifier.VerifyAsync(new DocumentCheck(d.DocumentType, d.DocumentNumber, d.Name, d.DateOfBirth, d.Gender), ct)
            .ConfigureAwait(false);
        if (verdict == DocumentVerdict.Mismatch)
            throw new DomainException(ErrorKind.Validation, DocumentErrors.DocumentMismatch, "Document details do not match",
                "The registry holds this document with other details; check the name, birth date and gender as printed on it.");

        await otp.VerifyAsync(txnId, OtpPurpose.MobileEnrolment, otpValue, ct).ConfigureAwait(false);
        var txn = await otp.ConsumeVerifiedAsync(txnId, OtpPurpose.MobileEnrolment, d.Mobile, ct).ConfigureAwait(false);
        var number = await allocator.AllocateAsync(ct).ConfigureAwait(false);
        var owner = await documentClaims.ClaimDocumentAsync(hash, number, ct).ConfigureAwait(false);
        if (owner != number)
            throw AlreadyEnrolled();

        var now = time.GetUtcNow();
        var state = verdict == DocumentVerdict.Verified ? DocumentVerificationState.Verified : DocumentVerificationState.Pending;
        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = number,
            Name = d.Name,
            Gender = d.Gender,
            DateOfBirth = d.DateOfBirth,
            KycStatus = KycStatus.Unverified,
            Mobile = d.Mobile,
            MobileHash = txn.DestinationHash,
            MobileVerified = true,
            Email = d.Email,
            Address = d.Address,
            AssistedBy = d.AssistedBy,
            Consent = d.Consent,
            Document = new DocumentKyc(d.DocumentType, hash, state, now),
        }, time);
        await audit.RecordPatientAsync(number, "abha.enrol.document", state.ToString().ToUpperInvariant(), ct).ConfigureAwait(false);
        await accounts.CreateAsync(account, ct).ConfigureAwait(false);
        if (state == DocumentVerificationState.Pending)
        {
            // After the account (whose write creates the patient's data key the review's fields are encrypted with).
            await reviews.EnqueueAsync(new DocumentReview
            {
                AbhaNumber = number,
                DocumentType = d.DocumentType,
                State = DocumentVerificationState.Pending,
                SubmittedAt = now,
                Name = d.Name,
                DateOfBirth = d.DateOfBirth,
                Gender = d.Gender,
                FrontSidePhoto = d.FrontSidePhoto.Bytes,
                BackSidePhoto = d.BackSidePhoto.Bytes,
                Selfie = d.Selfie?.Bytes,
            }, ct).ConfigureAwait(false);
        }

        return account;
    }

    /// <summary>The oldest pending reviews (no personal data), for a verifier of a verified facility.</summary>
    public async Task<IReadOnlyList<DocumentReviewSummary>> ListPendingAsync(DocumentReviewer reviewer, int max, CancellationToken ct)
    {
        await EnsureVerifierAsync(reviewer, ct).ConfigureAwait(false);
        return await reviews.ListPendingAsync(Math.Clamp(max, 1, MaxListed), ct).ConfigureAwait(false);
    }

    /// <summary>One review with the submitted details and photos; the read is audited on the patient's chain.</summary>
    public async Task<DocumentReview> GetAsync(DocumentReviewer reviewer, AbhaNumber number, CancellationToken ct)
    {
        await EnsureVerifierAsync(reviewer, ct).ConfigureAwait(false);
        var review = await reviews.FindAsync(number, ct).ConfigureAwait(false) ?? throw NotFound();
        await audit.RecordPatientAsync(number, "abha.document.review.read", review.Value.State.ToString().ToUpperInvariant(), ct)
            .ConfigureAwait(false);
        return review.Value;
    }

    /// <summary>
    /// A verifier's decision: the account's document becomes VERIFIED or REJECTED (a rejection needs a reason and
    /// releases the document's claim), the review keeps who decided what and loses the details and photos. Audited on
    /// the patient's chain before anything is stored.
    /// </summary>
    public async Task<AbhaAccount> DecideAsync(DocumentReviewer reviewer, AbhaNumber number, bool approve, string? reason,
        CancellationToken ct)
    {
        if (!approve && string.IsNullOrWhiteSpace(reason))
            throw HealthIdErrors.InvalidRequest("reason is required when rejecting.");
        if (reason is { Length: > 500 })
            throw HealthIdErrors.InvalidRequest("reason is at most 500 characters.");
        await EnsureVerifierAsync(reviewer, ct).ConfigureAwait(false);
        var review = await reviews.FindAsync(number, ct).ConfigureAwait(false) ?? throw NotFound();
        if (review.Value.State != DocumentVerificationState.Pending)
            throw new DomainException(ErrorKind.Conflict, DocumentErrors.ReviewAlreadyDecided, "Already decided",
                "This document enrolment was already decided.");
        var stored = await accounts.FindAsync(number, ct).ConfigureAwait(false) ?? throw HealthIdErrors.AbhaNotFound();
        var account = stored.Value;
        var documentHash = account.Document?.DocumentHash;
        account.DecideDocument(approve, reason?.Trim(), reviewer.WorkerId, reviewer.FacilityId, time);

        await audit.RecordPatientAsync(number, "abha.document.review", approve ? "APPROVED" : "REJECTED", ct).ConfigureAwait(false);
        await accounts.ReplaceAsync(account, stored.ETag, ct).ConfigureAwait(false);
        if (!approve && documentHash is not null)
            await documentClaims.ReleaseDocumentAsync(documentHash, ct).ConfigureAwait(false);
        await reviews.ReplaceAsync(new DocumentReview
        {
            AbhaNumber = number,
            DocumentType = review.Value.DocumentType,
            State = account.Document!.State,
            SubmittedAt = review.Value.SubmittedAt,
            DecidedAt = account.Document.DecidedAt,
            DecidedBy = reviewer.WorkerId,
            DecidedAtFacility = reviewer.FacilityId,
            Reason = account.Document.Reason,
        }, review.ETag, ct).ConfigureAwait(false);
        return account;
    }

    private async Task EnsureNotEnrolledAsync(string hash, CancellationToken ct)
    {
        var holder = await documentClaims.FindDocumentHolderAsync(hash, ct).ConfigureAwait(false);
        if (holder is null) return;
        var existing = await accounts.FindAsync(holder, ct).ConfigureAwait(false);
        if (existing is { Value.Status: not AbhaStatus.Deleted }) throw AlreadyEnrolled();
        // The holder was erased or never created (a crash between claim and account): the claim is stale.
        await documentClaims.ReleaseDocumentAsync(hash, ct).ConfigureAwait(false);
    }

    /// <summary>Only a health worker of a registered, verified and active facility reviews documents.</summary>
    private async Task EnsureVerifierAsync(DocumentReviewer reviewer, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reviewer.FacilityId) || !await facilities.IsVerifiedAndActiveAsync(reviewer.FacilityId, ct).ConfigureAwait(false))
            throw new DomainException(ErrorKind.Forbidden, DocumentErrors.FacilityNotVerified, "Facility not verified",
                "Document verification is done by health workers of a verified, active facility (the token's facilityId claim).");
    }

    private static DomainException AlreadyEnrolled() =>
        new(ErrorKind.Conflict, DocumentErrors.DocumentAlreadyEnrolled, "Document already enrolled",
            "An ABHA already exists for this document (one person, one ABHA); log in to it with its mobile, number or address.");

    private static DomainException NotFound() =>
        new(ErrorKind.NotFound, DocumentErrors.ReviewNotFound, "No such document review",
            "No document enrolment of this ABHA number is waiting for review or was reviewed.");
}

/// <summary>The health worker reviewing documents and the facility named in their token.</summary>
public sealed record DocumentReviewer(string WorkerId, string? FacilityId);
