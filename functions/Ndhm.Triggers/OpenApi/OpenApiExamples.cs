using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using Ndhm.Triggers.Hosting;

namespace Ndhm.Triggers.OpenApi;

/// <summary>
/// What the OpenAPI document shows of one operation beyond its attribute: example bodies, and the body types or
/// schemas an attribute does not name. One embedded file per operation, <c>OpenApi/Examples/&lt;operationId&gt;.json</c>,
/// keyed by the function name (which is stable while classes move).
/// </summary>
/// <param name="Request">An example request body.</param>
/// <param name="RequestType">The request body's type when the function's attribute does not name it.</param>
/// <param name="RequestOptional">The body may be left out.</param>
/// <param name="Response">An example of the success response body (a JSON value, or a string for text media).</param>
/// <param name="ResponseType">The success body's type when the attribute does not name it.</param>
/// <param name="ResponseSchema">The success body's schema when no type describes it (HTML, images, this document).</param>
/// <param name="ResponseContentType">The success body's media type when it is not application/json.</param>
/// <param name="ResponseDescription">What the success response means, e.g. that a 202 has no body and what follows.</param>
/// <param name="RequestContentTypes">For a raw (non-JSON) request body, e.g. a file upload: the media types it may have.</param>
/// <param name="RequestDescription">What a raw request body is (its schema is binary).</param>
public sealed record OperationExample(
    JsonNode? Request,
    Type? RequestType,
    bool RequestOptional,
    JsonNode? Response,
    Type? ResponseType,
    JsonNode? ResponseSchema,
    string? ResponseContentType,
    string? ResponseDescription,
    IReadOnlyList<string>? RequestContentTypes = null,
    string? RequestDescription = null);

public static class OpenApiExamples
{
    private const string ResourcePrefix = "OpenApiExamples/";

    private static readonly Assembly Assembly = typeof(OpenApiExamples).Assembly;

    private static readonly ConcurrentDictionary<string, OperationExample?> Cache = new(StringComparer.Ordinal);

    /// <summary>Every operation id that has an example file.</summary>
    public static IReadOnlyList<string> OperationIds { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".json".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    public static OperationExample? For(string operationId) => Cache.GetOrAdd(operationId, Load);

    private static OperationExample? Load(string operationId)
    {
        using var stream = Assembly.GetManifestResourceStream(ResourcePrefix + operationId + ".json");
        if (stream is null)
        {
            return null;
        }

        var file = JsonNode.Parse(stream)?.AsObject()
            ?? throw new InvalidOperationException($"The OpenAPI example file of {operationId} is empty.");
        return new OperationExample(
            file["request"]?.DeepClone(),
            TypeNamed(file["requestType"]?.GetValue<string>(), operationId),
            file["requestOptional"]?.GetValue<bool>() ?? false,
            file["response"]?.DeepClone(),
            TypeNamed(file["responseType"]?.GetValue<string>(), operationId),
            file["responseSchema"]?.DeepClone(),
            file["responseContentType"]?.GetValue<string>(),
            file["responseDescription"]?.GetValue<string>(),
            file["requestContentTypes"]?.AsArray().Select(t => t!.GetValue<string>()).ToList(),
            file["requestDescription"]?.GetValue<string>());
    }

    /// <summary>
    /// Finds a body type by its simple name among the platform's assemblies, so an example file survives a type
    /// moving between namespaces; an unknown or ambiguous name is an error, not a silently missing schema.
    /// </summary>
    private static Type? TypeNamed(string? name, string operationId)
    {
        if (name is null)
        {
            return null;
        }

        var matches = PlatformAssemblies().SelectMany(a => a.GetExportedTypes()).Where(t => t.Name == name).Distinct().ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"The OpenAPI example file of {operationId} names type '{name}', which {(matches.Count == 0 ? "no" : "more than one")} platform type has.");
    }

    private static IEnumerable<Assembly> PlatformAssemblies() =>
        new[] { FunctionCatalog.TriggerAssembly }.Concat(FunctionCatalog.TriggerAssembly.GetReferencedAssemblies()
            .Where(a => a.Name?.StartsWith("Ndhm.", StringComparison.Ordinal) == true)
            .Select(Assembly.Load));
}
