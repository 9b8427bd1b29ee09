using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Json;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Hosting;

namespace Ndhm.Triggers.Platform;

/// <summary>
/// Builds the OpenAPI 3.1 description of every HTTP function from the same attributes the hosts route by, so
/// the document cannot drift from the code: paths, methods, access policy, bodies and the problem+json errors.
/// </summary>
public static partial class OpenApiDocument
{
    public static JsonObject Build(IEnumerable<FunctionDescriptor> functions, string routePrefix, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject { ["Problem"] = ProblemSchema() };
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Http).OrderBy(f => f.TriggerAs<HttpTriggerAttribute>().Route))
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

    private static JsonObject Operation(FunctionDescriptor function, string path, JsonObject schemas)
    {
        var description = function.Method.GetCustomAttribute<OpenApiOperationAttribute>();
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

        if (description?.Request is { } request)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaRef(request, schemas) } },
            };
        }

        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = "Success" };
        if (description?.Response is { } response)
        {
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaRef(response, schemas) } };
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
        responses["503"] = ProblemResponse("A dependency is unavailable");
        responses["default"] = ProblemResponse("Error");
        operation["responses"] = responses;
        return operation;
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
            schemas[name] = NdhmJson.Options.GetJsonSchemaAsNode(type);
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
    }

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
