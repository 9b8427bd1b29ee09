using System.Text.Json;
using Ndhm.Linking;
using Ndhm.Gateway.Abdm;
using Ndhm.Triggers.Abdm;

namespace Ndhm.Triggers.Linking;

/// <summary>ABDM's error object as partners send it: the code may be a string ("ABDM-1010") or a number (1000).</summary>
public sealed record InboundAbdmError(JsonElement? Code, string? Message)
{
    public AbdmError ToError() => new(
        Code is { ValueKind: JsonValueKind.String } s ? s.GetString() ?? "" : Code is { ValueKind: JsonValueKind.Number } n ? n.GetRawText() : "",
        Message ?? "");
}

public sealed record InboundResp(string? RequestId);

/// <summary><c>/v0.5/care-contexts/on-discover</c> (ABDM PatientDiscoveryResult).</summary>
public sealed record OnDiscoverRequest(string? RequestId, string? Timestamp, string? TransactionId, HipPatient? Patient, InboundAbdmError? Error, InboundResp? Resp) : IAbdmRequest;

public sealed record OnInitMeta(string? CommunicationMedium, string? CommunicationHint, DateTimeOffset? CommunicationExpiry);

public sealed record OnInitLink(string? ReferenceNumber, string? AuthenticationType, OnInitMeta? Meta);

/// <summary><c>/v0.5/links/link/on-init</c> (ABDM PatientLinkReferenceResult).</summary>
public sealed record OnInitRequest(string? RequestId, string? Timestamp, string? TransactionId, OnInitLink? Link, InboundAbdmError? Error, InboundResp? Resp) : IAbdmRequest;

/// <summary><c>/v0.5/links/link/on-confirm</c> (ABDM PatientLinkResult).</summary>
public sealed record OnConfirmRequest(string? RequestId, string? Timestamp, HipPatient? Patient, InboundAbdmError? Error, InboundResp? Resp) : IAbdmRequest;

public sealed record AddContextsLink(string? AccessToken, HipPatient? Patient);

/// <summary><c>/v0.5/links/link/add-contexts</c> (ABDM PatientCareContextLinkRequest).</summary>
public sealed record AddContextsRequest(string? RequestId, string? Timestamp, AddContextsLink? Link) : IAbdmRequest;

public sealed record NotifyPatient(string? Id);

public sealed record NotifiedCareContext(string? PatientReference, string? CareContextReference);

public sealed record NotifyHip(string? Id);

public sealed record ContextNotificationBody(NotifyPatient? Patient, NotifiedCareContext? CareContext, IReadOnlyList<string>? HiTypes, string? Date, NotifyHip? Hip);

/// <summary><c>/v0.5/links/context/notify</c> (ABDM HipDataNotificationRequest).</summary>
public sealed record ContextNotifyRequest(string? RequestId, string? Timestamp, ContextNotificationBody? Notification) : IAbdmRequest;

/// <summary><c>/v3/token/generate-token</c> (HIECM-LinkTokenService.yml): abhaNumber may be a number or a string.</summary>
public sealed record GenerateLinkTokenRequest(JsonElement? AbhaNumber, string? AbhaAddress, string? Name, string? Gender, int? YearOfBirth,
    string? RequestId = null, string? Timestamp = null) : IAbdmRequest
{
    public LinkTokenRequest ToDomain() => new(
        AbhaNumber is { ValueKind: JsonValueKind.Number } n ? n.GetRawText() : AbhaNumber is { ValueKind: JsonValueKind.String } s ? s.GetString() : null,
        AbhaAddress, Name, Gender, YearOfBirth);
}

public sealed record SmsNotifyHip(string? Id, string? Name);

public sealed record SmsNotificationBody(string? PhoneNo, string? ReceiverName, string? CareContextInfo, string? DeeplinkUrl, SmsNotifyHip? Hip);

/// <summary><c>/v0.5/patients/sms/notify</c> (ABDM PatientSMSNotifcationRequest).</summary>
public sealed record SmsNotifyRequest(string? RequestId, string? Timestamp, SmsNotificationBody? Notification) : IAbdmRequest;

internal static class AbdmLinking
{
    /// <summary>
    /// The HIP the caller acts as: the facility of X-HIP-ID when named (checked by the verifier), else its only facility,
    /// else the partner itself (the one HIP id linking, consent and transfer share).
    /// </summary>
    public static Task<HipEndpoint> HipAsync<T>(IHipDirectory hips, AbdmInbound<T> inbound, CancellationToken ct) =>
        hips.ActingAsAsync(inbound.Caller.Subject, inbound.HipId, ct);
}

public sealed record PatientStatusAcknowledgment(string? Status);

/// <summary>
/// <c>/v0.5/patients/status/on-notify</c> (ABDM <c>GatewayPatientStatusNotification</c>). ABDM's schema spells it
/// <c>acknowledgment</c>; <c>acknowledgement</c>, the spelling of ABDM's other on-notify bodies, is read too.
/// </summary>
public sealed record PatientStatusOnNotifyRequest(string? RequestId, string? Timestamp, PatientStatusAcknowledgment? Acknowledgment,
    PatientStatusAcknowledgment? Acknowledgement, InboundAbdmError? Error, InboundResp? Resp) : IAbdmRequest;
