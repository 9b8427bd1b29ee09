using Ndhm.Consent;

namespace Ndhm.Triggers.Consent;

/// <summary>ABDM <c>ConsentRequest</c> (POST /v0.5/consent-requests/init).</summary>
public sealed record AbdmConsentRequest(string? RequestId, string? Timestamp, ConsentRequestInput? Consent);

/// <summary>ABDM <c>ConsentRequestStatusRequest</c> (POST /v0.5/consent-requests/status).</summary>
public sealed record AbdmConsentRequestStatusRequest(string? RequestId, string? Timestamp, string? ConsentRequestId);

/// <summary>ABDM <c>ConsentFetchRequest</c> (POST /v0.5/consents/fetch).</summary>
public sealed record AbdmConsentFetchRequest(string? RequestId, string? Timestamp, string? ConsentId);

/// <summary>ABDM <c>ConsentAcknowledgement</c>.</summary>
public sealed record AbdmConsentAcknowledgement(string? Status, string? ConsentId);

public sealed record AbdmRequestReference(string? RequestId);

public sealed record AbdmError(string Code, string Message);

/// <summary>ABDM <c>HIUConsentNotificationResponse</c> (POST /v0.5/consents/hiu/on-notify).</summary>
public sealed record AbdmHiuConsentNotificationResponse(string? RequestId, string? Timestamp, IReadOnlyList<AbdmConsentAcknowledgement?>? Acknowledgement,
    AbdmError? Error, AbdmRequestReference? Resp);

/// <summary>ABDM <c>HIPConsentNotificationResponse</c> (POST /v0.5/consents/hip/on-notify).</summary>
public sealed record AbdmHipConsentNotificationResponse(string? RequestId, string? Timestamp, AbdmConsentAcknowledgement? Acknowledgement,
    AbdmError? Error, AbdmRequestReference? Resp);

/// <summary>The 202 answer of every ABDM consent endpoint: the request id accepted; the answer follows as a callback.</summary>
public sealed record AbdmAccepted(string RequestId, string Status);
