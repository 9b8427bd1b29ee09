using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Ndhm.Cli.Conformance;

/// <summary>
/// ABDM's schema for each v0.5 message a HIP's bridge sends or receives (the definitions of <c>ndhm-hip.yml</c>, embedded
/// as <c>abdm-hip-messages.schema.json</c>; see SCHEMAS.md beside it): which definition a path's body is, and where a
/// body breaks it.
/// </summary>
public static class AbdmMessageSchemas
{
    /// <summary>Message path to its ABDM definition (the request body of that path in ndhm-hip.yml).</summary>
    public static readonly IReadOnlyDictionary<string, string> Definitions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/v0.5/care-contexts/on-discover"] = "PatientDiscoveryResult",
        ["/v0.5/links/link/on-init"] = "PatientLinkReferenceResult",
        ["/v0.5/links/link/on-confirm"] = "PatientLinkResult",
        ["/v0.5/consents/hip/on-notify"] = "HIPConsentNotificationResponse",
        ["/v0.5/health-information/hip/on-request"] = "HIPHealthInformationRequestAcknowledgement",
        ["/v0.5/health-information/notify"] = "HealthInformationNotification",
        ["/v0.5/users/auth/init"] = "PatientAuthInitRequest",
        ["/v0.5/users/auth/on-init"] = "PatientAuthInitResponse",
        ["/v0.5/users/auth/confirm"] = "PatientAuthConfirmRequest",
        ["/v0.5/users/auth/on-confirm"] = "PatientAuthConfirmResponse",
        ["/v0.5/users/auth/notify"] = "PatientAuthNotification",
        ["/v0.5/users/auth/on-notify"] = "PatientAuthNotificationAcknowledgement",
        ["/v0.5/links/link/add-contexts"] = "PatientCareContextLinkRequest",
        ["/v0.5/links/link/on-add-contexts"] = "PatientCareContextLinkResponse",
    };

    private static readonly Lazy<JsonObject> Document = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ndhm.Cli.Conformance.abdm-hip-messages.schema.json")
                           ?? throw new InvalidOperationException("the ABDM message schema is not embedded");
        return (JsonObject)JsonNode.Parse(stream)!;
    });

    private static readonly ConcurrentDictionary<string, JsonSchema> Built = new(StringComparer.Ordinal);

    /// <summary>Where <paramref name="body"/> breaks the definition of <paramref name="path"/> (empty when it conforms).</summary>
    public static IReadOnlyList<string> Problems(string path, JsonElement body)
    {
        if (!Definitions.TryGetValue(path, out var definition)) throw new ArgumentException($"no ABDM schema is known for {path}", nameof(path));
        var schema = Built.GetOrAdd(definition, name =>
        {
            // The whole document with its root pointing at one definition, so every $ref inside resolves in $defs.
            var root = (JsonObject)Document.Value.DeepClone();
            root["$ref"] = "#/$defs/" + name;
            return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        });
        var results = schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return [];
        return (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{Location(d.InstanceLocation.ToString())}: {e.Value}")).Distinct().ToList();
    }

    /// <summary>
    /// The reason a case fails for a message that breaks its schema; null when it conforms. Problems at
    /// <paramref name="excusedAt"/> (a JSON pointer) are not held against it.
    /// </summary>
    public static string? Violation(string who, string path, JsonElement body, string? excusedAt = null)
    {
        var problems = Problems(path, body).Where(p => excusedAt is null || !p.StartsWith(excusedAt + ": ", StringComparison.Ordinal)).ToList();
        return problems.Count == 0
            ? null
            : $"{who} {path} does not match ABDM's {Definitions[path]} (ndhm-hip.yml): {string.Join("; ", problems.Take(4))}";
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "/" : pointer;
}
