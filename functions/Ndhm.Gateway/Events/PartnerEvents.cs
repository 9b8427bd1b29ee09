using System.Text.Json;

namespace Ndhm.Gateway.Events;

/// <summary>A domain event a partner subscribes to (consent changed, data transferred, prescription issued...).</summary>
/// <param name="Type">e.g. <c>consent.changed</c>, <c>data.transferred</c>, <c>prescription.issued</c>, <c>order.status-changed</c>.</param>
public sealed record PartnerEvent(string Id, string Type, DateTimeOffset OccurredAt, JsonElement Data);

public static class PartnerEventTypes
{
    public const string ConsentChanged = "consent.changed";
    public const string DataTransferred = "data.transferred";
    public const string PrescriptionIssued = "prescription.issued";
    public const string OrderStatusChanged = "order.status-changed";
}

/// <summary>Publishes events to one partner's stream (a Service Bus subscription in Azure, a queue in the sandbox).</summary>
public interface IPartnerEventPublisher
{
    Task PublishAsync(string partnerId, PartnerEvent partnerEvent, CancellationToken ct);
}

/// <summary>The message as it travels (queue body / Service Bus body).</summary>
public sealed record PartnerEventEnvelope(string PartnerId, PartnerEvent Event);
