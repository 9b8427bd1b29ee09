using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ndhm.Core.Configuration;
using Ndhm.Core.Errors;
using Ndhm.Gateway;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.Storage;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>Who creates a partner's own event stream (<see cref="IPartnerEventSubscriptions"/>).</summary>
public enum PartnerSubscriptionManagement
{
    /// <summary>Sandbox (no Service Bus namespace): a Storage queue per partner.</summary>
    StorageQueue,
    /// <summary>Service Bus subscriptions through Azure Resource Manager (the Bicep's custom role).</summary>
    Arm,
    /// <summary>Service Bus subscriptions through ServiceBusAdministrationClient (Data Owner on the topic).</summary>
    DataPlane,
    /// <summary>An operator or pipeline creates them; the app only logs.</summary>
    None,
}

public static class PartnerSubscriptionModes
{
    /// <summary>
    /// Storage queues without a Service Bus namespace; otherwise <c>Partners__SubscriptionManagement</c>
    /// (<c>arm</c> when unset, as the Bicep's default <c>partnerSubscriptionAccess=customRole</c>).
    /// </summary>
    public static PartnerSubscriptionManagement Choose(IConfiguration configuration)
    {
        if (PartnerEventTransports.Choose(configuration) == PartnerEventTransport.StorageQueue)
        {
            return PartnerSubscriptionManagement.StorageQueue;
        }

        return configuration.GetSetting(SettingNames.PartnerSubscriptionManagement)?.Trim().ToLowerInvariant() switch
        {
            null or "arm" => PartnerSubscriptionManagement.Arm,
            "dataplane" => PartnerSubscriptionManagement.DataPlane,
            "none" => PartnerSubscriptionManagement.None,
            var other => throw new InvalidOperationException(
                $"Setting {SettingNames.PartnerSubscriptionManagement} is '{other}'; use arm, dataPlane or none."),
        };
    }
}

/// <summary>Which exceptions mean "the messaging service did not do it", and the one domain error they become.</summary>
internal static class PartnerEventFailures
{
    public static bool IsDependencyFailure(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => !ct.IsCancellationRequested,
        RequestFailedException or AuthenticationFailedException or ServiceBusException or UnauthorizedAccessException
            or JsonException or InvalidOperationException or FormatException or AggregateException or HttpRequestException => true,
        _ => false,
    };

    /// <summary>503 with Retry-After: registration and deactivation are safe to repeat.</summary>
    public static DomainException Unavailable(Exception e) => new(
        ErrorKind.DependencyUnavailable, GatewayErrors.PartnerEventsUnavailable, "The partner event stream could not be changed.",
        e is RequestFailedException { Status: > 0 } r ? $"The messaging service answered {r.Status} {r.ErrorCode}".TrimEnd() + "; retry."
            : "The messaging service could not be reached; retry.", inner: e) { RetryAfterSeconds = 5 };
}

/// <summary>
/// Service Bus subscriptions through the data plane. The subscription is created together with its filter as the
/// default rule, in one call, so it never holds a catch-all rule. Needs Azure Service Bus Data Owner on the topic.
/// </summary>
public sealed class ServiceBusAdminPartnerEventSubscriptions(ServiceBusAdministrationClient admin, string topicName, ILogger? logger = null)
    : IPartnerEventSubscriptions
{
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    public async Task EnsureAsync(string partnerId, CancellationToken ct)
    {
        var options = new CreateSubscriptionOptions(topicName, PartnerStreamNames.Subscription(partnerId))
        {
            DefaultMessageTimeToLive = TimeSpan.FromDays(14),
            DeadLetteringOnMessageExpiration = false,
            MaxDeliveryCount = 10,
            LockDuration = TimeSpan.FromMinutes(1),
        };
        try
        {
            await admin.CreateSubscriptionAsync(options, new CreateRuleOptions(PartnerStreamNames.RuleName, new SqlRuleFilter(PartnerStreamNames.SqlFilter(partnerId))), ct);
            logger.LogInformation("Partner {PartnerId}: Service Bus subscription {Subscription} created.", partnerId, options.SubscriptionName);
        }
        catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessagingEntityAlreadyExists)
        {
            // Created by an earlier attempt, with its filter: the one call makes both or neither.
        }
        catch (Exception e) when (PartnerEventFailures.IsDependencyFailure(e, ct))
        {
            logger.LogError(e, "Creating the Service Bus subscription of partner {PartnerId} failed.", partnerId);
            throw PartnerEventFailures.Unavailable(e);
        }
    }

    public async Task RemoveAsync(string partnerId, CancellationToken ct)
    {
        try
        {
            await admin.DeleteSubscriptionAsync(topicName, PartnerStreamNames.Subscription(partnerId), ct);
        }
        catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessagingEntityNotFound)
        {
        }
        catch (Exception e) when (PartnerEventFailures.IsDependencyFailure(e, ct))
        {
            logger.LogError(e, "Removing the Service Bus subscription of partner {PartnerId} failed.", partnerId);
            throw PartnerEventFailures.Unavailable(e);
        }
    }
}

/// <summary>
/// Sandbox: each partner's events go to a Storage queue of its own (<see cref="PartnerStreamNames.Queue"/>), the
/// counterpart of its Service Bus subscription: created on registration, deleted on deactivation.
/// </summary>
public sealed class QueuePartnerEventSubscriptions(StorageClients storage) : IPartnerEventSubscriptions
{
    public async Task EnsureAsync(string partnerId, CancellationToken ct)
    {
        try
        {
            await storage.Queues.GetQueueClient(PartnerStreamNames.Queue(partnerId)).CreateIfNotExistsAsync(cancellationToken: ct);
        }
        catch (Exception e) when (PartnerEventFailures.IsDependencyFailure(e, ct))
        {
            throw PartnerEventFailures.Unavailable(e);
        }
    }

    public async Task RemoveAsync(string partnerId, CancellationToken ct)
    {
        try
        {
            await storage.Queues.GetQueueClient(PartnerStreamNames.Queue(partnerId)).DeleteIfExistsAsync(ct);
        }
        catch (Exception e) when (PartnerEventFailures.IsDependencyFailure(e, ct))
        {
            throw PartnerEventFailures.Unavailable(e);
        }
    }
}

/// <summary><c>Partners__SubscriptionManagement=none</c>: subscriptions are someone else's job; say so in the log.</summary>
public sealed class UnmanagedPartnerEventSubscriptions(ILogger<UnmanagedPartnerEventSubscriptions> logger) : IPartnerEventSubscriptions
{
    public Task EnsureAsync(string partnerId, CancellationToken ct)
    {
        logger.LogWarning(
            "Partner {PartnerId} registered: its Service Bus subscription {Subscription} with filter {Filter} is managed outside the app ({Setting}=none).",
            partnerId, PartnerStreamNames.Subscription(partnerId), PartnerStreamNames.SqlFilter(partnerId), SettingNames.PartnerSubscriptionManagement);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string partnerId, CancellationToken ct)
    {
        logger.LogWarning("Partner {PartnerId} deactivated: remove its Service Bus subscription {Subscription} outside the app ({Setting}=none).",
            partnerId, PartnerStreamNames.Subscription(partnerId), SettingNames.PartnerSubscriptionManagement);
        return Task.CompletedTask;
    }
}

/// <summary>The Service Bus clients both the publisher and the data-plane adapter need, built from settings.</summary>
internal static class ServiceBusSettings
{
    public static DefaultAzureCredential Credential(IConfiguration configuration) =>
        AppCredentials.For(configuration.GetSetting(SettingNames.ManagedIdentityClientId));

    public static string Namespace(IConfiguration configuration) =>
        configuration.GetSetting(SettingNames.ServiceBusNamespace)
        ?? throw new InvalidOperationException($"Setting {SettingNames.ServiceBusNamespace} is required.");

    public static string Topic(IConfiguration configuration) =>
        configuration.GetSetting(SettingNames.ServiceBusPartnerEventsTopic)
        ?? throw new InvalidOperationException($"Setting {SettingNames.ServiceBusPartnerEventsTopic} is required with {SettingNames.ServiceBusNamespace}.");
}
