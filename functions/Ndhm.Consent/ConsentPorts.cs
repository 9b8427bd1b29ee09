using Ndhm.Core.Concurrency;

namespace Ndhm.Consent;

/// <summary>Where consent records live (Cosmos <c>consents</c> container; personal fields encrypted with the patient's data key).</summary>
public interface IConsentStore
{
    /// <summary>Create-only; the ETag.</summary>
    Task<string> CreateAsync(ConsentRecord record, CancellationToken ct);

    Task<Versioned<ConsentRecord>?> FindAsync(string consentRequestId, CancellationToken ct);

    /// <summary>The record holding artefact <paramref name="artefactId"/>, or null.</summary>
    Task<Versioned<ConsentRecord>?> FindByArtefactAsync(string artefactId, CancellationToken ct);

    /// <summary>If-Match replace: the new ETag, or DomainException PreconditionFailed <c>CONCURRENT_UPDATE</c>.</summary>
    Task<string> ReplaceAsync(ConsentRecord record, string ifMatch, CancellationToken ct);

    /// <summary>The patient's records, newest first, optionally by status or emergency only.</summary>
    Task<IReadOnlyList<ConsentRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, bool emergencyOnly, int take, CancellationToken ct);

    /// <summary>Ids of records not final whose <see cref="ConsentRecord.DueAt"/> is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct);

    /// <summary>Ids of records with a transition whose notifications were not handed over, last changed before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<string>> ListUnnotifiedAsync(DateTimeOffset before, int take, CancellationToken ct);
}

/// <summary>
/// Tells the parties about a transition: the HIU (<c>/v0.5/consents/hiu/notify</c>) and, for a grant, revocation or
/// expiry of a granted consent, every HIP of it (<c>/v0.5/consents/hip/notify</c>). Idempotent per record and event
/// sequence: sending the same event again does not send a second notification.
/// </summary>
public interface IConsentNotifier
{
    Task NotifyAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct);

    /// <summary>Emergency access: the patient is told at once (SMS / app notification).</summary>
    Task TellPatientOfEmergencyAsync(ConsentRecord record, CancellationToken ct);

    /// <summary>
    /// A partner's <c>on-notify</c> answering notification <paramref name="notificationRequestId"/>: true when that
    /// notification was sent to this partner (now acknowledged), false otherwise (another partner's, or unknown).
    /// </summary>
    Task<bool> AcknowledgeAsync(string partnerId, string notificationRequestId, CancellationToken ct);

    /// <summary>Sends again the notifications no <c>on-notify</c> acknowledged in time (a bounded number of times); how many.</summary>
    Task<int> ResendUnacknowledgedAsync(CancellationToken ct);
}

/// <summary>The patient behind an ABHA address (Health ID).</summary>
public interface IConsentPatients
{
    /// <summary>The ABHA number holding <paramref name="abhaAddress"/>, or null when no live account holds it.</summary>
    Task<string?> FindNumberAsync(string abhaAddress, CancellationToken ct);
}

/// <summary>
/// Whether someone may act for a patient (a nominee). Consent's own port, so the domain does not depend on Health ID;
/// Infrastructure adapts Health ID's nominee authority to it.
/// </summary>
public interface INomineeAuthority
{
    Task<bool> CanActForAsync(string nomineeSubject, string patientNumber, CancellationToken ct);
}

/// <summary>
/// Which care contexts are linked to a patient at a HIP (Linking's links, read through Infrastructure). A grant may
/// only name linked care contexts: the HIP id is the one id linking, consent and transfer share (the facility).
/// </summary>
public interface IConsentCareContexts
{
    /// <summary>Those of <paramref name="contexts"/> not linked to <paramref name="patientNumber"/> at <paramref name="hipId"/>, in order.</summary>
    Task<IReadOnlyList<CareContextRef>> NotLinkedAsync(string patientNumber, string hipId, IReadOnlyList<CareContextRef> contexts, CancellationToken ct);
}

/// <summary>
/// What rests on a granted consent and ends with it (the subscriptions a HIU made under it). Told when the consent is
/// revoked or expires, as part of handing over that transition's notifications, so what a crash left undone is done
/// again by the sweep (<c>unnotifiedSince</c>): implementations must be idempotent.
/// </summary>
public interface IConsentDependents
{
    /// <param name="consent">The record just REVOKED or EXPIRED after being granted.</param>
    Task ConsentEndedAsync(ConsentRecord consent, CancellationToken ct);
}
