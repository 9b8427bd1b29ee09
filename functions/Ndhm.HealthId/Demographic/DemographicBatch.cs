using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Demographic;

/// <summary>How the health worker satisfied themselves of the person's identity at the camp.</summary>
public enum AttestationMethod
{
    /// <summary>The worker knows the person (an ASHA worker in her own village, say).</summary>
    [JsonStringEnumMemberName("KNOWN_TO_WORKER")] KnownToWorker,

    /// <summary>The worker saw an identity document (not recorded: only that one was seen).</summary>
    [JsonStringEnumMemberName("DOCUMENT_SEEN")] DocumentSeen,

    /// <summary>Vouched for by the community (a panchayat member, say) in the worker's presence.</summary>
    [JsonStringEnumMemberName("COMMUNITY_VOUCHED")] CommunityVouched,
}

/// <summary>
/// Where an account enrolled by demographics came from: the government programme, the camp's batch and record, the
/// worker's attestation and the facility. Not personal data (codes, ids chosen by the camp, a time), kept in plaintext.
/// </summary>
public sealed record DemographicKyc(string Programme, string FacilityId, string BatchId, string RecordId, AttestationMethod Method,
    DateTimeOffset CollectedAt);

/// <summary>One record as collected offline at the camp (unchecked: each field is checked when the batch is processed).</summary>
public sealed record OfflineDemographicRecord(
    string? RecordId,
    string? FirstName,
    string? MiddleName,
    string? LastName,
    string? Dob,
    int? YearOfBirth,
    string? Gender,
    string? Address,
    string? District,
    string? State,
    string? PinCode,
    string? Mobile,
    OfflineConsent? Consent,
    OfflineAttestation? Attestation);

/// <summary>The enrolment consent the person accepted at the camp (the text shown on the worker's device).</summary>
public sealed record OfflineConsent(string? Code, string? Version, string? Language);

/// <summary>The worker's attestation of this record: that they identified the person, how, and when it was collected.</summary>
public sealed record OfflineAttestation(bool? Attested, string? Method, DateTimeOffset? CollectedAt);

/// <summary>A batch as uploaded: its id (chosen by the worker's device, unique per facility), programme and records.</summary>
public sealed record DemographicBatchSubmission(string? BatchId, string? Programme, IReadOnlyList<OfflineDemographicRecord>? Records);

public enum DemographicBatchStatus
{
    [JsonStringEnumMemberName("PROCESSING")] Processing,
    [JsonStringEnumMemberName("COMPLETED")] Completed,
}

public enum DemographicRecordStatus
{
    [JsonStringEnumMemberName("ACCEPTED")] Accepted,
    [JsonStringEnumMemberName("REJECTED")] Rejected,
}

/// <summary>What became of one record: ACCEPTED with the ABHA number, or REJECTED with a stable reason code.</summary>
public sealed record DemographicRecordResult(string RecordId, DemographicRecordStatus Status, string? AbhaNumber, string? ReasonCode,
    string? Reason)
{
    public static DemographicRecordResult Accepted(string recordId, Numbers.AbhaNumber number) =>
        new(recordId, DemographicRecordStatus.Accepted, number.Formatted, null, null);

    public static DemographicRecordResult Rejected(string recordId, string code, string reason) =>
        new(recordId, DemographicRecordStatus.Rejected, null, code, reason);
}

/// <summary>
/// A batch as stored (one document per facility and batch id): who uploaded it, a keyed hash of its content (a re-upload
/// with the same id must carry the same records), and, once processed, every record's result. Holds no personal data:
/// record ids, ABHA numbers, codes.
/// </summary>
public sealed record DemographicBatch
{
    public required string FacilityId { get; init; }
    public required string BatchId { get; init; }
    public required string Programme { get; init; }
    public required string WorkerId { get; init; }
    public required string ContentHash { get; init; }
    public required int Received { get; init; }
    public required DemographicBatchStatus Status { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public IReadOnlyList<DemographicRecordResult> Results { get; init; } = [];

    [JsonIgnore]
    public int Accepted => Results.Count(r => r.Status == DemographicRecordStatus.Accepted);

    [JsonIgnore]
    public int Rejected => Results.Count(r => r.Status == DemographicRecordStatus.Rejected);
}

/// <summary>The processed batch, and whether this upload only replayed an earlier one's result.</summary>
public sealed record DemographicBatchOutcome(DemographicBatch Batch, bool Replayed);

/// <summary>The stable codes of demographic enrolment: batch-level ones are problem+json, record-level ones reason codes.</summary>
public static class DemographicErrors
{
    public const string BatchIdInvalid = "BATCH_ID_INVALID";
    public const string BatchEmpty = "BATCH_EMPTY";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string BatchIdReused = "BATCH_ID_REUSED";
    public const string BatchInProgress = "BATCH_IN_PROGRESS";
    public const string ProgrammeInvalid = "PROGRAMME_INVALID";
    public const string RecordIdInvalid = "RECORD_ID_INVALID";
    public const string RecordIdDuplicate = "RECORD_ID_DUPLICATE";

    // Reason codes of rejected records (besides the field codes NAME_INVALID, DOB_INVALID, GENDER_INVALID,
    // PINCODE_INVALID, POSTAL_ADDRESS_INVALID, MOBILE_INVALID and the consent codes).
    public const string AttestationMissing = "ATTESTATION_MISSING";
    public const string AttestationInvalid = "ATTESTATION_INVALID";
    public const string DuplicateInBatch = "DUPLICATE_IN_BATCH";
    public const string DuplicateAccount = "DUPLICATE_ACCOUNT";

    /// <summary>Close to an existing ABHA or an earlier record of the batch, but not surely the same person: not enrolled.</summary>
    public const string PossibleDuplicate = "POSSIBLE_DUPLICATE";

    public static DomainException Invalid(string code, string detail) => new(ErrorKind.Validation, code, "The batch is invalid", detail);

    public static AttestationMethod ParseMethod(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "KNOWN_TO_WORKER" => AttestationMethod.KnownToWorker,
        "DOCUMENT_SEEN" => AttestationMethod.DocumentSeen,
        "COMMUNITY_VOUCHED" => AttestationMethod.CommunityVouched,
        _ => throw new DomainException(ErrorKind.Validation, AttestationInvalid, "Attestation is not valid",
            "attestation.method is KNOWN_TO_WORKER, DOCUMENT_SEEN or COMMUNITY_VOUCHED."),
    };
}
