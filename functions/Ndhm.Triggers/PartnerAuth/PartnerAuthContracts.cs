using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>ABDM's requester of users/auth: <c>{type: HIP|HIU, id}</c>.</summary>
public sealed record AuthQueryRequester(RequesterType? Type, string? Id);

/// <summary>ABDM <c>PatientAuthModeQueryRequest.query</c>.</summary>
public sealed record AuthModeQuery(string? Id, AuthPurpose? Purpose, AuthQueryRequester? Requester);

/// <summary>ABDM <c>PatientAuthModeQueryRequest</c> (<c>POST /v0.5/users/auth/fetch-modes</c>).</summary>
public sealed record AuthModeQueryRequest(string? RequestId, string? Timestamp, AuthModeQuery? Query) : IAbdmRequest;

/// <summary>The <c>auth</c> of ABDM <c>PatientAuthModeQueryResponse</c> (on-fetch-modes).</summary>
public sealed record AuthModes(AuthPurpose Purpose, IReadOnlyList<AuthMode> Modes);

/// <summary>ABDM <c>PatientAuthInitRequest.query</c>.</summary>
public sealed record AuthInitQuery(string? Id, AuthPurpose? Purpose, AuthMode? AuthMode, AuthQueryRequester? Requester);

/// <summary>ABDM <c>PatientAuthInitRequest</c> (<c>POST /v0.5/users/auth/init</c>).</summary>
public sealed record AuthInitRequest(string? RequestId, string? Timestamp, AuthInitQuery? Query) : IAbdmRequest;

/// <summary>ABDM <c>AuthMeta</c>.</summary>
public sealed record AuthMeta(string? Hint, string Expiry);

/// <summary>The <c>auth</c> of ABDM <c>PatientAuthInitResponse</c> (on-init).</summary>
public sealed record AuthInitAnswer(string TransactionId, AuthMode Mode, AuthMeta Meta);

/// <summary>ABDM <c>PatientAuthConfirmRequest.credential</c>.</summary>
public sealed record AuthCredential(string? AuthCode, DemographicCredential? Demographic);

/// <summary>ABDM <c>PatientAuthConfirmRequest</c> (<c>POST /v0.5/users/auth/confirm</c>).</summary>
public sealed record AuthConfirmRequest(string? RequestId, string? Timestamp, string? TransactionId, AuthCredential? Credential) : IAbdmRequest;

/// <summary>ABDM <c>PatientAuthRequester</c>.</summary>
public sealed record AuthRequesterRef(RequesterType Type, string Id);

/// <summary>ABDM <c>AccessTokenValidity</c>.</summary>
public sealed record AccessTokenValidity(AuthPurpose Purpose, AuthRequesterRef Requester, string Expiry, int Limit);

/// <summary>The <c>auth</c> of ABDM <c>PatientAuthConfirmResponse</c> (on-confirm).</summary>
public sealed record AuthConfirmAnswer(string? AccessToken, AccessTokenValidity? Validity, PatientDemographics? Patient);

/// <summary>ABDM <c>PatientIdentificationRequest.query</c>.</summary>
public sealed record PatientFindQuery(PatientRef? Patient, AuthQueryRequester? Requester);

public sealed record PatientRef(string? Id);

/// <summary>ABDM <c>PatientIdentificationRequest</c> (<c>POST /v0.5/patients/find</c>).</summary>
public sealed record PatientFindRequest(string? RequestId, string? Timestamp, PatientFindQuery? Query) : IAbdmRequest;

/// <summary>ABDM <c>PatientAuthNotificationAcknowledgement.acknowledgement</c>: <c>{status: OK}</c>.</summary>
public sealed record AuthNotifyAcknowledgement(string? Status);

/// <summary>ABDM <c>PatientAuthNotificationAcknowledgement</c> (<c>POST /v0.5/users/auth/on-notify</c>): <c>resp.requestId</c> names the notify.</summary>
public sealed record AuthOnNotifyRequest(string? RequestId, string? Timestamp, AuthNotifyAcknowledgement? Acknowledgement,
    Ndhm.Triggers.Consent.AbdmErrorBody? Error, Ndhm.Triggers.Consent.AbdmRequestReference? Resp) : IAbdmRequest;

/// <summary>A DIRECT authentication request waiting for the patient: who asks (a HIP's facility or an HIU), why, until when.</summary>
public sealed record AuthRequestView(string TransactionId, RequesterType RequesterType, string RequesterId, string PartnerId, AuthPurpose Purpose,
    string AbhaAddress, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt)
{
    public static AuthRequestView From(PendingAuthRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new AuthRequestView(r.TransactionId, r.RequesterType, r.RequesterId, r.PartnerId, r.Purpose, r.PatientId, r.RequestedAt, r.ExpiresAt);
    }
}

/// <summary><c>GET /api/v1/patients/me/auth-requests</c>.</summary>
public sealed record AuthRequestList(IReadOnlyList<AuthRequestView> AuthRequests);

/// <summary>The patient's answer as recorded, and the requestId of the users/auth/notify that tells the partner.</summary>
public sealed record AuthDecisionView(string TransactionId, DirectAuthStatus Status, string NotificationRequestId);
