using Ndhm.Consent.Subscriptions;
using Ndhm.Gateway.Abdm;

namespace Ndhm.Triggers.Consent;

/// <summary>ABDM <c>SubscriptionRequest</c> (POST /v0.5/subscription-requests/cm/init).</summary>
public sealed record AbdmSubscriptionRequest(string? RequestId, string? Timestamp, SubscriptionRequestInput? Subscription) : IAbdmRequest;

public sealed record AbdmSubscriptionRequestAcknowledgement(string? Status, string? SubscriptionRequestId);

/// <summary>ABDM <c>HIUSubscriptionRequestNotificationAcknowledgement</c> (POST /v0.5/subscription-requests/hiu/on-notify).</summary>
public sealed record AbdmHiuSubscriptionRequestNotificationAcknowledgement(string? RequestId, string? Timestamp,
    AbdmSubscriptionRequestAcknowledgement? Acknowledgement, AbdmErrorBody? Error, AbdmRequestReference? Resp) : IAbdmRequest;

public sealed record AbdmSubscriptionEventAcknowledgement(string? Status, string? EventId);

/// <summary>ABDM <c>HIUSubscriptionNotificationAcknowledgment</c> (POST /v0.5/subscriptions/hiu/on-notify).</summary>
public sealed record AbdmHiuSubscriptionNotificationAcknowledgment(string? RequestId, string? Timestamp, AbdmSubscriptionEventAcknowledgement? Acknowledgement,
    AbdmErrorBody? Error, AbdmRequestReference? Resp) : IAbdmRequest;

public sealed record SubscriptionRequestList(IReadOnlyList<SubscriptionRequestView> SubscriptionRequests);
