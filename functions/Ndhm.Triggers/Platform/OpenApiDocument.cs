using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Json;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Hosting;
using Ndhm.Triggers.OpenApi;

namespace Ndhm.Triggers.Platform;

/// <summary>
/// Builds the OpenAPI 3.1 description of every HTTP function from the same attributes the hosts route by, so
/// the document cannot drift from the code: paths, methods, access policy, bodies and the problem+json errors.
/// Examples (and body types a function's attribute does not name) come from <see cref="OpenApiExamples"/>.
/// </summary>
public static partial class OpenApiDocument
{
    /// <summary>The sandbox's own endpoints (test tokens, OTP outbox, sample bridges) live under this route.</summary>
    public const string SandboxRoute = "sandbox/";

    /// <param name="includeSandbox">Whether to list the sandbox-only endpoints; outside the sandbox they do not exist
    /// (they answer 404), so the document leaves them out.</param>
    public static JsonObject Build(IEnumerable<FunctionDescriptor> functions, string routePrefix, string version, bool includeSandbox = true)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject { ["Problem"] = ProblemSchema() };
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http && (includeSandbox || !IsSandboxOnly(f)))
                     .OrderBy(f => f.TriggerAs<HttpTriggerAttribute>().Route))
        {
            var trigger = function.TriggerAs<HttpTriggerAttribute>();
            var route = "/" + string.Join('/', new[] { routePrefix, trigger.Route ?? function.Name }.Where(s => !string.IsNullOrEmpty(s)));
            var path = RouteConstraint().Replace(route, "{$1}");
            var item = paths[path] as JsonObject ?? new JsonObject();
            paths[path] = item;
            foreach (var method in trigger.Methods ?? ["get"])
            {
                item[method.ToLowerInvariant()] = Operation(function, path, schemas);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "NdhmFunctions API",
                ["version"] = version,
                ["description"] = "Health ID, registries, gateway, consent and health-information exchange in the ABDM style. " +
                                  "Errors are RFC 9457 problem+json with a stable `code`.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
        };
    }

    /// <summary>True for an endpoint that exists only in the sandbox.</summary>
    public static bool IsSandboxOnly(FunctionDescriptor function) =>
        (function.TriggerAs<HttpTriggerAttribute>().Route ?? function.Name).StartsWith(SandboxRoute, StringComparison.OrdinalIgnoreCase) ||
        function.Method.GetCustomAttribute<OpenApiOperationAttribute>()?.Tag == "Sandbox";

    private static JsonObject Operation(FunctionDescriptor function, string path, JsonObject schemas)
    {
        var description = function.Method.GetCustomAttribute<OpenApiOperationAttribute>();
        var example = OpenApiExamples.For(function.Name);
        var policy = EndpointPolicy.For(function.Method);
        var operation = new JsonObject
        {
            ["operationId"] = function.Name,
            ["summary"] = description?.Summary ?? function.Name,
            ["tags"] = new JsonArray(description?.Tag ?? function.Method.DeclaringType!.Namespace!.Split('.').Last()),
        };
        var parameters = new JsonArray();
        foreach (Match match in PathParameter().Matches(path))
        {
            parameters.Add(new JsonObject
            {
                ["name"] = match.Groups[1].Value,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }

        parameters.Add(new JsonObject
        {
            ["name"] = RequestIds.Header,
            ["in"] = "header",
            ["required"] = false,
            ["description"] = "Correlation id (UUID); echoed, generated when absent.",
            ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
        });
        operation["parameters"] = parameters;

        if ((description?.Request ?? example?.RequestType) is { } request)
        {
            var media = new JsonObject { ["schema"] = SchemaRef(request, schemas) };
            if (example?.Request is { } requestExample)
            {
                media["example"] = requestExample.DeepClone();
            }

            operation["requestBody"] = new JsonObject
            {
                ["required"] = example?.RequestOptional != true,
                ["content"] = new JsonObject { ["application/json"] = media },
            };
        }

        else if (example?.RequestContentTypes is { Count: > 0 } rawTypes)
        {
            var content = new JsonObject();
            foreach (var type in rawTypes)
            {
                content[type] = new JsonObject
                {
                    ["schema"] = new JsonObject { ["type"] = "string", ["contentMediaType"] = type, ["format"] = "binary" },
                };
            }

            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["description"] = example.RequestDescription ?? "The file, as the raw request body.",
                ["content"] = content,
            };
        }

        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = example?.ResponseDescription ?? "Success" };
        var responseSchema = (description?.Response ?? example?.ResponseType) is { } response
            ? SchemaRef(response, schemas)
            : example?.ResponseSchema?.DeepClone();
        if (responseSchema is not null)
        {
            var media = new JsonObject { ["schema"] = responseSchema };
            if (example?.Response is { } responseExample)
            {
                media["example"] = responseExample.DeepClone();
            }

            success["content"] = new JsonObject { [example?.ResponseContentType ?? "application/json"] = media };
        }

        responses[(description?.SuccessStatus ?? 200).ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
        if (!policy.IsPublic)
        {
            operation["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
            operation["x-roles"] = new JsonArray(policy.Roles.Select(r => (JsonNode)r).ToArray());
            responses["401"] = ProblemResponse("Missing or invalid bearer token");
            responses["403"] = ProblemResponse("The token's roles may not use this endpoint");
        }

        responses["400"] = ProblemResponse("Invalid request");
        if (OperationRateLimits.For(function.Name) is { Count: > 0 } limits)
        {
            operation["x-rate-limits"] = new JsonArray(limits.Select(l => (JsonNode)l.Policy).Distinct().ToArray());
            responses["429"] = RateLimitedResponse(limits);
        }

        responses["503"] = ProblemResponse("A dependency is unavailable");
        responses["default"] = ProblemResponse("Error");
        operation["responses"] = responses;
        return operation;
    }

    /// <summary>
    /// 429 RATE_LIMITED (the gate's limits, per caller or target) with Retry-After; Health ID's own per-target OTP
    /// limits and OTP windows answer the same way on the same operations.
    /// </summary>
    private static JsonObject RateLimitedResponse(IReadOnlyList<RateLimitRule> limits)
    {
        var response = ProblemResponse(
            $"Too many requests: a rate limit is used up ({string.Join(", ", limits.Select(l => l.Policy).Distinct())}); retry after Retry-After seconds");
        response["headers"] = new JsonObject
        {
            ["Retry-After"] = new JsonObject
            {
                ["description"] = "Seconds until the limit's window ends (at least 1); also `retryAfterSeconds` in the body.",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
            },
        };
        return response;
    }

    private static JsonObject ProblemResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } },
        },
    };

    private static JsonObject SchemaRef(Type type, JsonObject schemas)
    {
        var name = type.Name;
        if (!schemas.ContainsKey(name))
        {
            schemas[name] = SchemaOf(type);
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
    }

    /// <summary>
    /// The JSON schema of a body type. The exporter lists every constructor parameter as required, but the platform's
    /// JSON reads a missing property as null and leaves nulls out when writing: a property that may be null is
    /// therefore optional, and the schema says so.
    /// </summary>
    public static JsonNode SchemaOf(Type type)
    {
        var schema = NdhmJson.Options.GetJsonSchemaAsNode(type);
        RelaxNullableRequired(schema);
        return schema;
    }

    private static void RelaxNullableRequired(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject properties && obj["required"] is JsonArray required)
                {
                    var keep = required.Select(r => r!.GetValue<string>())
                        .Where(name => !AllowsNull(properties[name]))
                        .Select(name => (JsonNode)name)
                        .ToArray();
                    obj["required"] = new JsonArray(keep);
                }

                foreach (var (_, child) in obj.ToList())
                {
                    RelaxNullableRequired(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    RelaxNullableRequired(child);
                }

                break;
        }
    }

    // The schema `true` and one without type, enum or reference (a JsonElement: any JSON) admit null too.
    private static bool AllowsNull(JsonNode? property) => property switch
    {
        JsonObject schema => AllowsNull(schema),
        JsonValue always => always.GetValueKind() == System.Text.Json.JsonValueKind.True,
        _ => false,
    };

    private static bool AllowsNull(JsonObject schema) => schema["type"] switch
    {
        JsonArray types => types.Any(t => t?.GetValue<string>() == "null"),
        JsonValue single => single.GetValue<string>() == "null",
        _ => schema["enum"] is JsonArray values ? values.Any(v => v is null) : schema["$ref"] is null && schema["const"] is null,
    };

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details with the platform's stable error code.",
        ["required"] = new JsonArray("type", "title", "status", "code"),
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["instance"] = new JsonObject { ["type"] = "string" },
            ["code"] = new JsonObject { ["type"] = "string" },
            ["requestId"] = new JsonObject { ["type"] = "string" },
        },
    };

    // Route constraints ({id:int}, {*rest}, {id?}) are routing details, not part of the public path.
    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();
}
