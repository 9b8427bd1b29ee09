using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Rest;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Partner subscriptions through Azure Resource Manager (REST over Azure.Core's pipeline, the app's managed identity,
/// the Bicep's custom role on the topic: subscriptions and rules only, no message access).
/// <para>
/// A subscription ARM creates starts with Service Bus's catch-all <c>$Default</c> rule, which would copy every
/// partner's events into it. So the subscription is first created "in quarantine" (messages live
/// <see cref="QuarantineTtl"/> and are dropped, not dead-lettered, when they expire), then the partner's SQL filter is
/// added, <c>$Default</c> deleted, and only then is the normal message lifetime set. Service Bus stamps a message's
/// expiry when it is enqueued, so a copy that slipped in before <c>$Default</c> went away has already expired and is
/// never received. A retry finds the subscription by name and finishes whatever steps are missing.
/// </para>
/// </summary>
public sealed partial class ArmPartnerEventSubscriptions : IPartnerEventSubscriptions
{
    /// <summary>The newest stable Microsoft.ServiceBus API version, the one infra/app/servicebus.bicep deploys with.</summary>
    public const string ApiVersion = "2026-01-01";
    public const string Scope = "https://management.azure.com/.default";
    public const string QuarantineTtl = "PT1S";

    /// <summary>As the topic's own default (infra/app/servicebus.bicep): a subscription cannot keep a message longer.</summary>
    public const string MessageTtl = "P14D";

    public static readonly Uri PublicCloud = new("https://management.azure.com/");
    private const int MaxPolls = 30;

    private readonly HttpPipeline pipeline;
    private readonly Uri endpoint;
    private readonly string topicResourceId;
    private readonly TimeSpan pollInterval;
    private readonly ILogger logger;

    public ArmPartnerEventSubscriptions(HttpPipeline pipeline, Uri endpoint, string topicResourceId, TimeSpan pollInterval, ILogger? logger = null)
    {
        this.pipeline = pipeline;
        this.endpoint = endpoint;
        this.topicResourceId = ValidateTopicResourceId(topicResourceId);
        this.pollInterval = pollInterval;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A pipeline with Azure.Core's retries (408, 429, 5xx) and bearer tokens for Resource Manager.</summary>
    public static ArmPartnerEventSubscriptions Create(string topicResourceId, TokenCredential credential, ILogger? logger = null,
        HttpPipelineTransport? transport = null, Uri? endpoint = null, TimeSpan? pollInterval = null)
    {
        var options = new ArmClientOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        if (transport is not null) options.Transport = transport;
        var pipeline = HttpPipelineBuilder.Build(options, [], [new BearerTokenAuthenticationPolicy(credential, Scope)], new ResponseClassifier());
        return new ArmPartnerEventSubscriptions(pipeline, endpoint ?? PublicCloud, topicResourceId, pollInterval ?? TimeSpan.FromSeconds(1), logger);
    }

    public async Task EnsureAsync(string partnerId, CancellationToken ct)
    {
        var subscription = SubscriptionPath(partnerId);
        try
        {
            var existing = await GetAsync(subscription, ct);
            var quarantined = existing is null || existing.Value.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("defaultMessageTimeToLive", out var ttl) && IsQuarantine(ttl.GetString());
            if (existing is null)
            {
                await PutAsync(subscription, SubscriptionBody(QuarantineTtl), ct);
            }

            await PutAsync(subscription + "/rules/" + Escape(PartnerStreamNames.RuleName), RuleBody(partnerId), ct);
            await DeleteAsync(subscription + "/rules/" + Escape(PartnerStreamNames.DefaultRuleName), ct);
            if (quarantined)
            {
                await PutAsync(subscription, SubscriptionBody(MessageTtl), ct);
            }

            logger.LogInformation("Partner {PartnerId} has Service Bus subscription {Subscription} (filter {Filter}).",
                partnerId, PartnerStreamNames.Subscription(partnerId), PartnerStreamNames.SqlFilter(partnerId));
        }
        catch (Exception e) when (PartnerEventFailures.IsDependencyFailure(e, ct))
        {
            logger.LogError(e, "Creating the Service Bus subscription of partner {PartnerId} failed.", partnerId);
            throw PartnerEventFailures.Unavailable(e);
        }
    }

    /// <summary>Deleting a subscription deletes its rules and any messages still in it; an absent one is already removed.</summary>
    public async Task RemoveAsync(string partnerId, CancellationToken ct)
    {
        try
        {
            await DeleteAsync(SubscriptionPath(partnerId), ct);
            logger.LogInformation("Partner {PartnerId}: Service Bus subscription {Subscription} removed.", partnerId, PartnerStreamNames.Subscription(partnerId));
        }
        catch (Exception e) when (PartnerEventFailures.IsDependencyFailure(e, ct))
        {
            logger.LogError(e, "Removing the Service Bus subscription of partner {PartnerId} failed.", partnerId);
            throw PartnerEventFailures.Unavailable(e);
        }
    }

    public static string ValidateTopicResourceId(string? topicResourceId) =>
        topicResourceId is not null && TopicResourceIdPattern().IsMatch(topicResourceId)
            ? topicResourceId.TrimEnd('/')
            : throw new InvalidOperationException(
                "The partner events topic resource id must look like /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ServiceBus/namespaces/<namespace>/topics/<topic>.");

    private static bool IsQuarantine(string? ttl) =>
        ttl is not null && System.Xml.XmlConvert.ToTimeSpan(ttl) <= System.Xml.XmlConvert.ToTimeSpan(QuarantineTtl);

    private string SubscriptionPath(string partnerId) => topicResourceId + "/subscriptions/" + Escape(PartnerStreamNames.Subscription(partnerId));

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static JsonObject SubscriptionBody(string ttl) => new()
    {
        ["properties"] = new JsonObject
        {
            ["defaultMessageTimeToLive"] = ttl,
            // A dead-lettered copy would outlive the quarantine; partners read expired events nowhere anyway.
            ["deadLetteringOnMessageExpiration"] = false,
            ["maxDeliveryCount"] = 10,
            ["lockDuration"] = "PT1M",
        },
    };

    private static JsonObject RuleBody(string partnerId) => new()
    {
        ["properties"] = new JsonObject
        {
            ["filterType"] = "SqlFilter",
            ["sqlFilter"] = new JsonObject { ["sqlExpression"] = PartnerStreamNames.SqlFilter(partnerId) },
        },
    };

    private async Task<JsonElement?> GetAsync(string path, CancellationToken ct)
    {
        using var message = await SendAsync(RequestMethod.Get, Address(path), null, ct);
        return message.Response.Status == 404 ? null : Json(message.Response);
    }

    private async Task PutAsync(string path, JsonObject body, CancellationToken ct)
    {
        using var message = await SendAsync(RequestMethod.Put, Address(path), body, ct);
        await WaitForCompletionAsync(message.Response, ct);
    }

    private async Task DeleteAsync(string path, CancellationToken ct)
    {
        using var message = await SendAsync(RequestMethod.Delete, Address(path), null, ct);
        if (message.Response.Status != 404)
        {
            await WaitForCompletionAsync(message.Response, ct);
        }
    }

    /// <summary>
    /// Service Bus answers these calls synchronously (200/204), but Resource Manager may turn any of them into an
    /// asynchronous operation (201/202 with Azure-AsyncOperation or Location): then poll until it ends.
    /// </summary>
    private async Task WaitForCompletionAsync(Response response, CancellationToken ct)
    {
        if (response.Status is not (201 or 202))
        {
            return;
        }

        var monitor = Header(response, "Azure-AsyncOperation") ?? Header(response, "Location");
        if (monitor is null)
        {
            return;
        }

        var status = new Uri(monitor);
        // The bearer token must never follow a link to another host.
        if (!string.Equals(status.Authority, endpoint.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Resource Manager returned an operation link to another host.");
        }

        var delay = RetryAfter(response) ?? pollInterval;
        for (var poll = 0; poll < MaxPolls; poll++)
        {
            await Task.Delay(delay, ct);
            using var message = await SendAsync(RequestMethod.Get, status, null, ct);
            if (message.Response.Status == 202)
            {
                delay = RetryAfter(message.Response) ?? pollInterval;
                continue;
            }

            var state = message.Response.Content.ToMemory().IsEmpty ? null
                : Json(message.Response).TryGetProperty("status", out var s) ? s.GetString() : null;
            switch (state)
            {
                case null or "Succeeded":
                    return;
                case "Failed" or "Canceled":
                    throw new InvalidOperationException($"The Resource Manager operation ended {state}.");
            }

            delay = RetryAfter(message.Response) ?? pollInterval;
        }

        throw new InvalidOperationException($"The Resource Manager operation did not finish after {MaxPolls} polls.");
    }

    // 404 means "already gone" to GET and DELETE; to a PUT it means a missing parent (wrong topic id), a failure.
    private Task<HttpMessage> SendAsync(RequestMethod method, Uri uri, JsonObject? body, CancellationToken ct) =>
        JsonRestRequests.SendAsync(pipeline, method, uri, body, ct, response => response.IsError && (response.Status != 404 || method == RequestMethod.Put));

    private Uri Address(string path)
    {
        var builder = new RequestUriBuilder();
        builder.Reset(endpoint);
        builder.AppendPath(path, escape: false);
        builder.AppendQuery("api-version", ApiVersion);
        return builder.ToUri();
    }

    private static JsonElement Json(Response response)
    {
        using var document = JsonDocument.Parse(response.Content.ToMemory());
        return document.RootElement.Clone();
    }

    private static string? Header(Response response, string name) => response.Headers.TryGetValue(name, out var value) ? value : null;

    private static TimeSpan? RetryAfter(Response response) =>
        Header(response, "Retry-After") is { } text && int.TryParse(text, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, 30))
            : null;

    [GeneratedRegex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.ServiceBus/namespaces/[^/]+/topics/[^/]+/?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TopicResourceIdPattern();

    private sealed class ArmClientOptions : ClientOptions;
}
