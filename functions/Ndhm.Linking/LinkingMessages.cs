namespace Ndhm.Linking;

/// <summary>ABDM v0.5 message bodies the platform sends to a HIP's bridge (paths of ndhm-hip.yml).</summary>
public static class HipPaths
{
    public const string Discover = "/v0.5/care-contexts/discover";
    public const string LinkInit = "/v0.5/links/link/init";
    public const string LinkConfirm = "/v0.5/links/link/confirm";
    public const string OnAddContexts = "/v0.5/links/link/on-add-contexts";
    public const string OnContextNotify = "/v0.5/links/context/on-notify";
    public const string OnGenerateToken = "/v3/hip/token/on-generate-token";
    public const string OnSmsNotify = "/v0.5/patients/sms/on-notify";

    /// <summary>Not an ABDM path: ABDM has no unlink message to a HIP, so the platform sends this webhook.</summary>
    public const string Unlinked = "/v1/links/unlinked";
}

public sealed record AbdmIdentifier(string Type, string Value);

public sealed record RequestReference(string RequestId);

public sealed record DiscoverPatient(string Id, IReadOnlyList<AbdmIdentifier> VerifiedIdentifiers, IReadOnlyList<AbdmIdentifier> UnverifiedIdentifiers,
    string Name, string Gender, int? YearOfBirth);

public sealed record DiscoverMessage(string RequestId, string Timestamp, string TransactionId, DiscoverPatient Patient);

public sealed record CareContextReference(string ReferenceNumber);

public sealed record LinkInitPatient(string Id, string ReferenceNumber, IReadOnlyList<CareContextReference> CareContexts);

public sealed record LinkInitMessage(string RequestId, string Timestamp, string TransactionId, LinkInitPatient Patient);

public sealed record LinkConfirmation(string LinkRefNumber, string Token);

public sealed record LinkConfirmMessage(string RequestId, string Timestamp, LinkConfirmation Confirmation);

public sealed record Acknowledgement(string Status);

/// <summary>on-add-contexts and on-notify: an acknowledgement or an error, answering <c>resp.requestId</c>.</summary>
public sealed record AcknowledgementMessage(string RequestId, string Timestamp, Acknowledgement? Acknowledgement, AbdmError? Error, RequestReference Resp);

/// <summary>on-generate-token (HIECM-LinkTokenService.yml): the token or an error, answering <c>response.requestId</c>.</summary>
public sealed record OnGenerateTokenMessage(string? AbhaAddress, string? LinkToken, AbdmError? Error, RequestReference Response);

public sealed record UnlinkedMessage(string RequestId, string Timestamp, string PatientId, string PatientReference, string CareContextReference);

/// <summary>ABDM <c>PatientSMSNotifcationRequest.notification</c>, flattened (hip.id is the HIP the caller acts as).</summary>
public sealed record SmsNotification(string? PhoneNo, string? ReceiverName, string? CareContextInfo, string? DeeplinkUrl, string? HipName);

/// <summary>ABDM <c>PatientSMSNotifcationResponse</c>: ACKNOWLEDGED or ERRORED, answering <c>resp.requestId</c>.</summary>
public sealed record SmsOnNotifyMessage(string RequestId, string Timestamp, string Status, AbdmError? Error, RequestReference Resp);
