using Ndhm.Core.Concurrency;

namespace Ndhm.Linking;

/// <summary>
/// Port: linking's documents (Cosmos in production and the sandbox). Everything of one patient lives in one
/// partition keyed by a keyed hash of the ABHA number; HIP answers find their flow by transaction or request id.
/// Replaces send If-Match and throw PreconditionFailed CONCURRENT_UPDATE when the document changed meanwhile.
/// Care-context names and the HIP's patient reference are encrypted at rest by the adapter.
/// </summary>
public interface ICareContextLinkStore
{
    /// <summary>Create-only: false when the patient already has an open discovery at this HIP (the guard document exists and is current).</summary>
    Task<bool> TryOpenDiscoveryAsync(DiscoverySession session, DateTimeOffset now, CancellationToken ct);

    Task<Versioned<DiscoverySession>?> FindDiscoveryAsync(string transactionId, CancellationToken ct);

    Task<string> ReplaceDiscoveryAsync(DiscoverySession session, string ifMatch, CancellationToken ct);

    /// <summary>Ends the guard so a new discovery may start (no-op when it already names another transaction).</summary>
    Task CloseDiscoveryAsync(DiscoverySession session, CancellationToken ct);

    Task CreateLinkRequestAsync(LinkRequest request, CancellationToken ct);

    Task<Versioned<LinkRequest>?> FindLinkRequestAsync(string abhaNumber, string linkRequestId, CancellationToken ct);

    /// <summary>The link request whose outbound init or confirm had this REQUEST-ID (what the HIP's answer names).</summary>
    Task<Versioned<LinkRequest>?> FindLinkRequestByOutboundRequestAsync(string requestId, CancellationToken ct);

    /// <summary>The patient's link requests with this HIP-issued link reference number, newest first.</summary>
    Task<IReadOnlyList<Versioned<LinkRequest>>> FindLinkRequestsByReferenceAsync(string abhaNumber, string linkRefNumber, CancellationToken ct);

    Task<string> ReplaceLinkRequestAsync(LinkRequest request, string ifMatch, CancellationToken ct);

    Task<Versioned<CareContextLinks>?> FindLinksAsync(string abhaNumber, string hipId, CancellationToken ct);

    Task<IReadOnlyList<CareContextLinks>> ListLinksAsync(string abhaNumber, CancellationToken ct);

    /// <summary>Creates (<paramref name="ifMatch"/> null: PreconditionFailed when it exists) or replaces.</summary>
    Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct);

    Task SaveLinkTokenAsync(LinkToken token, CancellationToken ct);

    /// <summary>By the SHA-256 of the token (the token itself is never stored).</summary>
    Task<LinkToken?> FindLinkTokenAsync(string tokenHash, CancellationToken ct);
}

/// <summary>Port: messages to a HIP's bridge (ABDM v0.5 paths of ndhm-hip.yml), delivered later with retries.</summary>
public interface IHipBridge
{
    /// <summary>Sends <paramref name="body"/> to <c>&lt;bridge&gt;<paramref name="path"/></c>; <paramref name="answersRequestId"/> for callbacks.</summary>
    Task SendAsync(HipEndpoint hip, string path, object body, string? answersRequestId, CancellationToken ct);
}

/// <summary>
/// Port: HIPs by the id a patient or partner names (a HIP partner's client id, or a facility a HIP partner serves).
/// One HIP has one id across linking, consent and data transfer: the facility. A partner named by its client id that
/// serves exactly one facility is that facility; only a partner serving none (or several, unnamed) is its client id.
/// </summary>
public interface IHipDirectory
{
    /// <summary>The HIP with its canonical id (<see cref="HipEndpoint.HipId"/> may differ from <paramref name="hipId"/>), or null.</summary>
    Task<HipEndpoint?> FindAsync(string hipId, CancellationToken ct);

    /// <summary>
    /// The HIP a calling partner acts as: the facility it named in X-HIP-ID (already checked as one it serves), else
    /// its only facility, else itself.
    /// </summary>
    Task<HipEndpoint> ActingAsAsync(string partnerId, string? namedFacility, CancellationToken ct);

    /// <summary>Whether <paramref name="partnerId"/> may act as <paramref name="hipId"/>.</summary>
    Task<bool> ServesAsync(string partnerId, string hipId, CancellationToken ct);
}

/// <summary>Port: the patient's verified identifiers from Health ID, by ABHA number (14 digits) or ABHA address.</summary>
public interface IPatientDirectory
{
    Task<PatientIdentity?> FindAsync(string abhaNumberOrAddress, CancellationToken ct);
}

/// <summary>Port: a linking OTP the platform sends and checks itself (MEDIATE), through Health ID's OTP machinery.</summary>
public interface ILinkOtp
{
    /// <summary>Sends an OTP to the patient's verified mobile; its transaction id and expiry, and the masked mobile.</summary>
    Task<(string TxnId, DateTimeOffset ExpiresAt, string Hint)> SendAsync(PatientIdentity patient, CancellationToken ct);

    /// <summary>Throws OTP errors (wrong, expired, too many attempts) from Health ID's rules.</summary>
    Task VerifyAsync(string txnId, string otp, string abhaNumber, CancellationToken ct);
}

/// <summary>Port: tells the patient by SMS that a HIP linked records (deep link into the patient app).</summary>
public interface IPatientNotifier
{
    Task NotifyLinkedAsync(PatientIdentity patient, string hipId, int careContexts, string deepLink, CancellationToken ct);

    /// <summary>A HIP's own SMS to a patient's phone (ABDM <c>patients/sms/notify</c>); <paramref name="mobile"/> is 10 digits.</summary>
    Task SendSmsAsync(string mobile, string text, string deepLink, CancellationToken ct);
}

/// <summary>One linked care context as the consent manager reads it.</summary>
public sealed record LinkedCareContext(string HipId, string PatientReference, string CareContextReference, string Display,
    IReadOnlyList<string>? HiTypes, DateTimeOffset LinkedAt);

/// <summary>
/// What other capabilities (the consent manager) may ask about links: which care contexts are linked for this
/// patient at this HIP. Reads are audited on the patient's chain.
/// </summary>
public interface ILinkedCareContexts
{
    /// <param name="abhaNumber">14 digits.</param>
    Task<IReadOnlyList<LinkedCareContext>> ListAsync(string abhaNumber, string hipId, CancellationToken ct);

    /// <summary>Every HIP's linked care contexts for the patient.</summary>
    Task<IReadOnlyList<LinkedCareContext>> ListAllAsync(string abhaNumber, CancellationToken ct);
}

/// <summary>
/// A patient a HIP authenticated through <c>users/auth</c> for linking (purpose LINK or KYC_AND_LINK): ABDM lets the
/// HIP link care contexts with that access token (<c>links/link/add-contexts</c>), as with a link token.
/// </summary>
/// <param name="AbhaNumber">14 digits.</param>
public sealed record PatientAuthLinkGrant(string AbhaNumber, string AbhaAddress, string PartnerId, string HipId, DateTimeOffset ExpiresAt);

/// <summary>Reads a <c>users/auth</c> access token (Health ID issues and signs them).</summary>
public interface IPatientAuthLinkGrants
{
    /// <summary>The grant, or null when the token is not a valid, unexpired linking token issued to a HIP.</summary>
    Task<PatientAuthLinkGrant?> ValidateAsync(string accessToken, CancellationToken ct);
}

/// <summary>
/// A HIP said a care context linked to the patient there has new data (<c>links/context/notify</c>), checked against
/// the links. <paramref name="NoticeKey"/> names the notice (the HIP's date of the data, else its requestId), so the
/// same notice told twice is recognised as one.
/// </summary>
/// <param name="AbhaNumber">14 digits.</param>
public sealed record CareContextDataNotice(string AbhaNumber, string HipId, string PatientReference, string CareContextReference,
    IReadOnlyList<string> HiTypes, DateTimeOffset At, string NoticeKey);

/// <summary>Who else hears of new data in a linked care context (consent's subscriptions with category DATA); idempotent per notice.</summary>
public interface ICareContextDataNotices
{
    Task NewDataAsync(CareContextDataNotice notice, CancellationToken ct);
}
