namespace Ndhm.Phr.Consents;

/// <summary>
/// One granted, unexpired consent artefact: which HIU (for which requester and purpose) may see which hiTypes from which
/// HIP, for care in which date range, until when. What the patient's "who can see what" view lists.
/// </summary>
public sealed record ConsentGrant(
    string ConsentArtefactId,
    string ConsentRequestId,
    string HiuId,
    string? RequesterName,
    string HipId,
    string PurposeCode,
    string PurposeText,
    IReadOnlyList<string> HiTypes,
    DateTimeOffset DataFrom,
    DateTimeOffset DataTo,
    string AccessMode,
    DateTimeOffset GrantedUntil,
    DateTimeOffset DataEraseAt,
    bool Emergency);

/// <summary>The patient's granted consents (read from the consent store; the PHR does not keep its own copy).</summary>
public interface IPatientConsentGrants
{
    /// <summary>Artefacts of the patient's GRANTED consents whose grant has not ended at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<ConsentGrant>> ListActiveAsync(string patientNumber, DateTimeOffset now, CancellationToken ct);
}
