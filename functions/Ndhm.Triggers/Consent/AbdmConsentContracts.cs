using Ndhm.Consent;
using Ndhm.Gateway.Abdm;

namespace Ndhm.Triggers.Consent;

/// <summary>ABDM <c>ConsentRequest</c> (POST /v0.5/consent-requests/init).</summary>
public sealed record AbdmConsentRequest(string? RequestId, string? Timestamp, ConsentRequestInput? Consent) : IAbdmRequest;

/// <summary>ABDM <c>ConsentRequestStatusRequest</c> (POST /v0.5/consent-requests/status).</summary>
public sealed record AbdmConsentRequestStatusRequest(string? RequestId, string? Timestamp, string? ConsentRequestId) : IAbdmRequest;

/// <summary>ABDM <c>ConsentFetchRequest</c> (POST /v0.5/consents/fetch).</summary>
public sealed record AbdmConsentFetchRequest(string? RequestId, string? Timestamp, string? ConsentId) : IAbdmRequest;

/// <summary>ABDM <c>ConsentAcknowledgement</c>.</summary>
public sealed record AbdmConsentAcknowledgement(string? Status, string? ConsentId);

public sealed record AbdmRequestReference(string? RequestId);

public sealed record AbdmErrorBody(string? Code, string? Message);

/// <summary>ABDM <c>HIUConsentNotificationResponse</c> (POST /v0.5/consents/hiu/on-notify).</summary>
public sealed record AbdmHiuConsentNotificationResponse(string? RequestId, string? Timestamp, IReadOnlyList<AbdmConsentAcknowledgement?>? Acknowledgement,
    AbdmErrorBody? Error, AbdmRequestReference? Resp) : IAbdmRequest;

/// <summary>ABDM <c>HIPConsentNotificationResponse</c> (POST /v0.5/consents/hip/on-notify).</summary>
public sealed record AbdmHipConsentNotificationResponse(string? RequestId, string? Timestamp, AbdmConsentAcknowledgement? Acknowledgement,
    AbdmErrorBody? Error, AbdmRequestReference? Resp) : IAbdmRequest;
