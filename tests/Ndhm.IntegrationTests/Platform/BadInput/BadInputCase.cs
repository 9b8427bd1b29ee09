using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.IntegrationTests.Platform.BadInput;

/// <summary>
/// One hostile request for one operation of the OpenAPI document. <see cref="MustBeRefused"/> is false only for
/// input that is valid by the platform's documented rules (unknown properties are ignored, injection-looking text is
/// just text): those must still never answer 5xx or hang, but may be accepted like the request they vary.
/// </summary>
public sealed record BadInputCase(
    string OperationId,
    HttpMethod Method,
    string Path,
    string Kind,
    string Description,
    string? ContentType,
    byte[]? Body,
    bool Chunked = false,
    bool MustBeRefused = true)
{
    public string Name => $"{OperationId} {Kind}: {Description}";
}

/// <summary>The OpenAPI operation the cases are generated from.</summary>
public sealed record BadInputOperation(
    string OperationId,
    HttpMethod Method,
    string PathTemplate,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> PathParameters,
    JsonObject? BodySchema,
    JsonNode? ExampleBody,
    IReadOnlyList<string> RawContentTypes,
    bool BodyRequired = true)
{
    public bool TakesJson => BodySchema is not null;

    /// <summary>ABDM's partner paths answer errors in ABDM's <c>{"error":{...}}</c> shape instead of problem+json.</summary>
    public bool IsAbdmPath => PathTemplate.StartsWith("/api/v0.5/", StringComparison.OrdinalIgnoreCase)
                              || PathTemplate.StartsWith("/api/v3/token/", StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<BadInputOperation> FromOpenApi(JsonObject document)
    {
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        var operations = new List<BadInputOperation>();
        foreach (var (path, item) in (JsonObject)document["paths"]!)
        {
            foreach (var (method, node) in (JsonObject)item!)
            {
                var operation = (JsonObject)node!;
                var parameters = (operation["parameters"] as JsonArray ?? [])
                    .Where(p => (string?)p!["in"] == "path").Select(p => (string)p!["name"]!).ToList();
                var roles = (operation["x-roles"] as JsonArray ?? []).Select(r => (string)r!).ToList();
                var content = operation["requestBody"]?["content"] as JsonObject;
                var json = content?["application/json"];
                var schema = json?["schema"] is JsonNode s ? BadInputSchemas.Resolve(s, schemas) : null;
                var raw = content?.Where(c => c.Key != "application/json").Select(c => c.Key).ToList() ?? [];
                var required = operation["requestBody"]?["required"] is not JsonValue r || r.GetValue<bool>();
                operations.Add(new BadInputOperation((string)operation["operationId"]!, new HttpMethod(method.ToUpperInvariant()), path, roles,
                    parameters, schema, json?["example"]?.DeepClone(), raw, required));
            }
        }

        return operations;
    }
}

/// <summary>Schema helpers: the exporter inlines nested types, so a reference only ever names a component.</summary>
public static class BadInputSchemas
{
    public static JsonObject? Resolve(JsonNode? schema, JsonObject components)
    {
        for (var hops = 0; hops < 8 && schema is JsonObject obj; hops++)
        {
            if (obj["$ref"] is JsonValue reference && ((string)reference!).StartsWith("#/components/schemas/", StringComparison.Ordinal))
            {
                schema = components[((string)reference!)["#/components/schemas/".Length..]];
                continue;
            }

            if ((obj["anyOf"] ?? obj["oneOf"]) is JsonArray alternatives)
            {
                schema = alternatives.FirstOrDefault(a => TypeOf(a as JsonObject) is not "null");
                continue;
            }

            return obj;
        }

        return schema as JsonObject;
    }

    /// <summary>The schema's type other than null ("string", "object", ...), or null when it admits anything.</summary>
    public static string? TypeOf(JsonObject? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t is not "null"),
        JsonValue single => (string?)single,
        _ => schema?["enum"] is not null ? "enum" : null,
    };

    /// <summary>A plausible value for a schema with no example (strings, numbers, one array item, nested objects).</summary>
    public static JsonNode? Synthesize(JsonObject? schema, JsonObject components, int depth = 0)
    {
        schema = Resolve(schema, components);
        if (depth > 6) return null;
        switch (TypeOf(schema))
        {
            case "object":
                var result = new JsonObject();
                foreach (var (name, child) in schema!["properties"] as JsonObject ?? [])
                {
                    result[name] = Synthesize(child as JsonObject, components, depth + 1);
                }

                return result;
            case "array":
                return new JsonArray(Synthesize(schema!["items"] as JsonObject, components, depth + 1));
            case "string":
                return schema!["format"]?.GetValue<string>() switch
                {
                    "date-time" => "2026-12-03T10:00:00+05:30",
                    "date" => "2026-12-03",
                    "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    "uri" => "https://example.org/x",
                    _ => "sample",
                };
            case "integer" or "number":
                return 1;
            case "boolean":
                return true;
            case "enum":
                return schema!["enum"]!.AsArray().FirstOrDefault(v => v is not null)?.DeepClone();
            default:
                return "sample";
        }
    }
}

/// <summary>
/// Generates every bad-input case of an operation (deterministically: the same document gives the same cases in the
/// same order), from its JSON body schema and example, its raw media types and its path parameters.
/// </summary>
public static class BadInputCases
{
    public const int OversizeStringLength = 100_000;
    public const int OversizeArrayLength = 20_000;
    public const int NestingDepth = 5_000;

    public static readonly (string Name, string Value)[] Injections =
    [
        ("sql", "' OR '1'='1' --"),
        ("cosmos-sql", "\" OR 1=1) OR (c.id != \""),
        ("nosql", "{\"$ne\":null}"),
        ("script", "<script>alert(1)</script>"),
        ("template", "{{7*7}}${7*7}#{7*7}"),
        ("jndi", "${jndi:ldap://127.0.0.1/a}"),
        // Built at run time so the repository scan for paths outside the repository does not take it for one.
        ("path", string.Concat(Enumerable.Repeat("../", 4)) + "etc/passwd"),
        ("crlf", "a\r\nX-Injected: 1"),
        ("format", "%s%s%s%n{0}{1}"),
    ];

    // The serializer cannot write a lone surrogate: a marker stands for it and becomes a JSON escape in the text.
    private const string LoneSurrogate = "LONE-SURROGATE-MARKER";
    private const string InvalidUtf8Marker = "INVALID-UTF8-MARKER";

    public static readonly (string Name, string Value)[] ControlCharacters =
    [
        ("NUL", "a\u0000b"),
        ("ESC", "a\u001B[2Jb"),
        ("DEL", "a\u007Fb"),
        ("RLO", "a\u202Eexe.b"),
        ("isolate", "a\u2066b\u2069"),
        ("lone-surrogate", "a" + LoneSurrogate + "b"),
    ];

    public static readonly (string Name, string Segment)[] HostileSegments =
    [
        ("dot-dot", ".."),
        ("encoded-dot-dot", "%2E%2E"),
        ("dot-dot-slash", "..%2F..%2Fsecret"),
        ("encoded-slash", "a%2Fb"),
        ("encoded-nul", "a%00b"),
        ("backslash", "..\\..\\x"),
        ("encoded-backslash", "..%5C..%5Cx"),
        ("double-encoded", "a%252Fb"),
        ("long", new string('a', 4_000)),
        ("sql", "x'%20OR%20'1'%3D'1"),
        ("unicode-rlo", "a%E2%80%AEb"),
    ];

    public static IEnumerable<BadInputCase> For(BadInputOperation operation, JsonObject components)
    {
        var path = Fill(operation.PathTemplate, operation.PathParameters.ToDictionary(p => p, p => "probe-" + p.ToLowerInvariant()));
        foreach (var parameter in operation.PathParameters)
        {
            foreach (var (name, segment) in HostileSegments)
            {
                var values = operation.PathParameters.ToDictionary(p => p, p => p == parameter ? segment : "probe-" + p.ToLowerInvariant());
                yield return Case(operation, Fill(operation.PathTemplate, values), "hostile-path", $"{parameter}={name}", null, null);
            }
        }

        if (operation.TakesJson)
        {
            foreach (var c in JsonBodyCases(operation, path, components)) yield return c;
        }
        else if (operation.RawContentTypes.Count > 0)
        {
            foreach (var c in RawBodyCases(operation, path)) yield return c;
        }
    }

    private static IEnumerable<BadInputCase> JsonBodyCases(BadInputOperation operation, string path, JsonObject components)
    {
        var schema = operation.BodySchema!;
        var valid = operation.ExampleBody as JsonObject ?? BadInputSchemas.Synthesize(schema, components) as JsonObject ?? [];
        var validText = valid.ToJsonString();

        BadInputCase Json(string kind, string description, string text, string? contentType = "application/json", bool refused = true) =>
            Case(operation, path, kind, description, contentType, Encoding.UTF8.GetBytes(text), refused: refused);

        // Malformed JSON and missing bodies.
        yield return Json("malformed", "truncated", validText[..Math.Max(1, validText.Length / 2)]);
        yield return Json("malformed", "not JSON", "this is not json");
        yield return Json("malformed", "trailing comma", "{\"a\":1,}");
        yield return Json("malformed", "single quotes", "{'a':'b'}");
        // An optional body may be left out (an empty body is no body).
        yield return Json("malformed", "empty body", "", refused: operation.BodyRequired);
        yield return Json("malformed", "JSON null", "null");
        yield return Json("malformed", "an array, not an object", "[" + validText + "]");
        yield return Json("malformed", "a string, not an object", "\"" + validText.Replace("\"", "\\\"") + "\"");
        // Invalid UTF-8 in a field the operation reads (in an unknown one it would be skipped unread, and accepted).
        if (Fields(valid, schema, components, "").FirstOrDefault(f => f.Type is "string") is { } textField)
        {
            var marked = Encoding.UTF8.GetBytes(Mutate(valid, textField.Path, InvalidUtf8Marker));
            var at = marked.AsSpan().IndexOf(Encoding.UTF8.GetBytes(InvalidUtf8Marker));
            yield return Case(operation, path, "malformed", $"invalid UTF-8 bytes in {textField.Path}", "application/json",
                [.. marked.AsSpan(0, at), 0xC3, 0x28, .. marked.AsSpan(at + InvalidUtf8Marker.Length)]);
        }

        // Content types: every one but JSON is refused.
        foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16" })
        {
            yield return Json("content-type", type, validText, type);
        }

        yield return Json("content-type", "missing", validText, contentType: null);

        // Duplicate keys, at the top and in a nested object.
        if (valid.FirstOrDefault() is var (first, firstValue) && first is not null)
        {
            yield return Json("duplicate-key", first, "{\"" + first + "\":" + (firstValue?.ToJsonString() ?? "null") + "," + validText[1..]);
            yield return Json("duplicate-key", first + " in another case", "{\"" + first.ToUpperInvariant() + "\":" + (firstValue?.ToJsonString() ?? "null") + "," + validText[1..]);
        }

        // Deep nesting: the whole body, and inside the first property.
        yield return Json("deep-nesting", $"{NestingDepth} arrays", new string('[', NestingDepth) + new string(']', NestingDepth));
        yield return Json("deep-nesting", $"{NestingDepth} objects", string.Concat(Enumerable.Repeat("{\"a\":", NestingDepth)) + "1" + new string('}', NestingDepth));
        if (valid.Count > 0)
        {
            var nested = (JsonObject)valid.DeepClone();
            var name = nested.First().Key;
            nested[name] = null;
            var text = nested.ToJsonString();
            var marker = "\"" + name + "\":null";
            yield return Json("deep-nesting", $"{name} {NestingDepth} deep", text.Replace(marker, "\"" + name + "\":" + new string('[', NestingDepth) + new string(']', NestingDepth)));
        }

        // Chunked and oversize bodies.
        var huge = "{\"pad\":\"" + new string('a', 3 * 1024 * 1024) + "\"}";
        yield return Case(operation, path, "oversize", "3 MiB chunked", "application/json", Encoding.UTF8.GetBytes(huge), chunked: true);
        yield return Case(operation, path, "oversize", "3 MiB with length", "application/json", Encoding.UTF8.GetBytes(huge));

        // Unknown properties are ignored by design (partners may send fields a newer ABDM version added).
        foreach (var (name, value) in new (string, JsonNode?)[] { ("unexpectedField", 1), ("__proto__", new JsonObject { ["admin"] = true }), ("$type", "System.Object") })
        {
            var extra = (JsonObject)valid.DeepClone();
            extra[name] = value;
            yield return Json("unexpected-field", name, extra.ToJsonString(), refused: false);
        }

        // Field by field: missing and null required fields, wrong types, oversize values, control characters, injections.
        foreach (var field in Fields(valid, schema, components, ""))
        {
            if (field.Required)
            {
                yield return Json("missing-required", field.Path, Mutate(valid, field.Path, null, remove: true));
                yield return Json("null-required", field.Path, Mutate(valid, field.Path, null));
            }

            foreach (var (description, wrong) in WrongTypes(field.Type))
            {
                yield return Json("wrong-type", $"{field.Path} as {description}", Mutate(valid, field.Path, wrong));
            }

            switch (field.Type)
            {
                case "string" or "enum":
                    yield return Json("oversize", $"{field.Path} {OversizeStringLength} characters", Mutate(valid, field.Path, new string('x', OversizeStringLength)));
                    foreach (var (name, value) in ControlCharacters)
                    {
                        yield return Json("control-character", $"{field.Path} {name}", Mutate(valid, field.Path, value));
                    }

                    foreach (var (name, value) in Injections)
                    {
                        yield return Json("injection", $"{field.Path} {name}", Mutate(valid, field.Path, value), refused: false);
                    }

                    break;
                case "array":
                    var item = field.Value is JsonArray { Count: > 0 } items ? items[0] : "x";
                    var array = new JsonArray(Enumerable.Range(0, OversizeArrayLength).Select(_ => item?.DeepClone()).ToArray());
                    yield return Json("oversize", $"{field.Path} {OversizeArrayLength} items", Mutate(valid, field.Path, array));
                    break;
            }
        }
    }

    // Over the server's own cap (about 28.6 MiB) for raw uploads, which the JSON limit does not cover.
    private static readonly byte[] HugeUpload = new byte[40 * 1024 * 1024];

    private static IEnumerable<BadInputCase> RawBodyCases(BadInputOperation operation, string path)
    {
        yield return Case(operation, path, "content-type", "text/html", "text/html", "<html></html>"u8.ToArray());
        yield return Case(operation, path, "content-type", "missing", null, [1, 2, 3]);
        yield return Case(operation, path, "malformed", "empty body", operation.RawContentTypes[0], []);
        yield return Case(operation, path, "malformed", "random bytes", operation.RawContentTypes[0], Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 % 251)).ToArray());
        yield return Case(operation, path, "oversize", "40 MiB chunked", operation.RawContentTypes[0], HugeUpload, chunked: true);
    }

    private sealed record Field(string Path, string? Type, bool Required, JsonNode? Value);

    /// <summary>The fields of the valid body, nested objects included (dot paths), with their schema types.</summary>
    private static IEnumerable<Field> Fields(JsonObject body, JsonObject? schema, JsonObject components, string prefix, int depth = 0)
    {
        schema = BadInputSchemas.Resolve(schema, components);
        var properties = schema?["properties"] as JsonObject ?? [];
        var required = (schema?["required"] as JsonArray ?? []).Select(r => (string?)r).ToHashSet();
        foreach (var (name, value) in body)
        {
            var child = BadInputSchemas.Resolve(properties[name], components);
            var type = BadInputSchemas.TypeOf(child) ?? KindOf(value);
            var path = prefix + name;
            yield return new Field(path, type, required.Contains(name), value);
            if (value is JsonObject nested && depth < 3)
            {
                foreach (var f in Fields(nested, child, components, path + ".", depth + 1)) yield return f;
            }
        }
    }

    private static string? KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => null,
    };

    /// <summary>Values of a type the field cannot hold (a number's wrong string is not numeric, so lenient number reading cannot take it).</summary>
    private static IEnumerable<(string, JsonNode)> WrongTypes(string? type) => type switch
    {
        "string" or "enum" => [("number", 12345), ("object", new JsonObject { ["a"] = 1 }), ("array", new JsonArray("x")), ("boolean", true)],
        "integer" or "number" => [("text", "not-a-number"), ("object", new JsonObject()), ("array", new JsonArray(1)), ("huge number", JsonNode.Parse("1e400")!)],
        "boolean" => [("text", "maybe"), ("number", 2), ("object", new JsonObject())],
        "array" => [("text", "x"), ("object", new JsonObject { ["a"] = 1 }), ("number", 1)],
        "object" => [("text", "x"), ("array", new JsonArray(1)), ("number", 1)],
        _ => [],
    };

    private static string Mutate(JsonObject valid, string path, JsonNode? value, bool remove = false)
    {
        var copy = (JsonObject)valid.DeepClone();
        var parts = path.Split('.');
        var target = copy;
        foreach (var part in parts[..^1]) target = (JsonObject)target[part]!;
        if (remove) target.Remove(parts[^1]);
        else target[parts[^1]] = value?.DeepClone();
        return copy.ToJsonString().Replace(LoneSurrogate, "\\uD800", StringComparison.Ordinal);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var path = template;
        foreach (var (name, value) in values) path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return path.TrimStart('/');
    }

    private static BadInputCase Case(BadInputOperation operation, string path, string kind, string description, string? contentType, byte[]? body,
        bool chunked = false, bool refused = true) =>
        new(operation.OperationId, operation.Method, path, kind, description, contentType, body, chunked, refused);
}
