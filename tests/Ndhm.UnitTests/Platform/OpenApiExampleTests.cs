using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Json.Schema;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Json;
using Ndhm.HealthId.Numbers;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.Hosting;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.OpenApi;
using Ndhm.Triggers.Platform;

namespace Ndhm.UnitTests.Platform;

/// <summary>
/// The OpenAPI document is what integrators read at /api/docs: every operation needs a summary, its schemas and an
/// example, and every example must be one the API accepts or sends.
/// </summary>
public sealed class OpenApiExampleTests
{
    private static readonly JsonObject Document = OpenApiDocument.Build(FunctionCatalog.Functions, "api", "1.0.0");

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (p.Key, m.Key, m.Value!.AsObject())));

    public static TheoryData<string> OperationIds()
    {
        var data = new TheoryData<string>();
        foreach (var (_, _, operation) in Operations(Document))
        {
            data.Add(operation["operationId"]!.GetValue<string>());
        }

        return data;
    }

    private static JsonObject OperationById(string operationId) =>
        Operations(Document).Single(o => o.Operation["operationId"]!.GetValue<string>() == operationId).Operation;

    [Fact]
    public void EveryRateLimitedOperation_Documents429WithRetryAfter_AndNoOtherDoes()
    {
        var operations = Operations(Document).ToList();
        var limited = OperationRateLimits.ByOperation.Keys.Order(StringComparer.Ordinal).ToList();

        Assert.All(limited, id => Assert.Contains(operations, o => o.Operation["operationId"]!.GetValue<string>() == id));
        foreach (var (path, method, operation) in operations)
        {
            var id = operation["operationId"]!.GetValue<string>();
            var tooMany = operation["responses"]![("429")];
            if (!OperationRateLimits.For(id).Any())
            {
                Assert.True(tooMany is null, $"{method} {path} ({id}) has no rate-limit rule but documents 429");
                continue;
            }

            Assert.True(tooMany is not null, $"{method} {path} ({id}) is rate-limited but does not document 429");
            Assert.NotNull(tooMany["content"]!["application/problem+json"]);
            Assert.Equal("integer", tooMany["headers"]!["Retry-After"]!["schema"]!["type"]!.GetValue<string>());
            Assert.Equal(OperationRateLimits.For(id).Select(r => r.Policy).Distinct(),
                operation["x-rate-limits"]!.AsArray().Select(p => p!.GetValue<string>()));
        }
    }

    [Fact]
    public void EveryHttpFunction_HasAnExampleFile_AndEveryExampleFileAFunction()
    {
        var http = FunctionCatalog.Functions.Where(f => f.Kind == TriggerKind.Http).Select(f => f.Name).Order().ToList();

        Assert.Empty(http.Except(OpenApiExamples.OperationIds));
        Assert.Empty(OpenApiExamples.OperationIds.Except(http));
    }

    [Theory]
    [MemberData(nameof(OperationIds))]
    public void EveryOperation_HasASummaryOfItsOwn(string operationId)
    {
        var summary = OperationById(operationId)["summary"]?.GetValue<string>();

        Assert.False(string.IsNullOrWhiteSpace(summary));
        Assert.NotEqual(operationId, summary);
    }

    [Theory]
    [MemberData(nameof(OperationIds))]
    public void EveryRequestBody_HasASchemaAndAnExampleThatValidatesAgainstIt(string operationId)
    {
        var function = FunctionCatalog.Functions.Single(f => f.Name == operationId);
        var operation = OperationById(operationId);
        var example = OpenApiExamples.For(operationId);
        if (operation["requestBody"] is not JsonObject body)
        {
            Assert.Null(example?.Request);
            Assert.True(IsBodyless(function), $"{operationId} takes no body: its methods are {Methods(function)}");
            return;
        }

        if (body["content"]!["application/json"] is not JsonObject media)
        {
            // A raw file upload: every media type it takes is a binary body, and the body says what it is.
            Assert.All(body["content"]!.AsObject(), m => Assert.Equal("binary", m.Value!["schema"]!["format"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(body["description"]?.GetValue<string>()), $"{operationId}: describe the raw body");
            return;
        }

        AssertValid(media["schema"]!, media["example"], $"{operationId} request");
    }

    [Theory]
    [MemberData(nameof(OperationIds))]
    public void EverySuccessResponse_HasASchemaAndAnExample_OrSaysWhyItHasNoBody(string operationId)
    {
        var responses = OperationById(operationId)["responses"]!.AsObject();
        var (status, success) = responses.Single(r => r.Key.StartsWith('2'));
        var description = success!["description"]!.GetValue<string>();
        if (success["content"] is not JsonObject content)
        {
            Assert.True(status is "202" or "204", $"{operationId}: a {status} response needs a body, schema and example");
            Assert.NotEqual("Success", description); // it says what was accepted and what follows
            return;
        }

        var (mediaType, media) = content.Single();
        var schema = media!["schema"]!;
        if (schema["format"]?.GetValue<string>() == "binary")
        {
            // A picture or a file download has no JSON example; the description says what it is.
            Assert.True(mediaType.StartsWith("image/", StringComparison.Ordinal) || mediaType is "application/pdf" or "application/octet-stream", mediaType);
            Assert.NotEqual("Success", description);
            return;
        }

        Assert.NotNull(media["example"]);
        if (mediaType.Contains("json", StringComparison.Ordinal))
        {
            AssertValid(schema, media["example"], $"{operationId} response");
        }
        else
        {
            Assert.Equal(JsonValueKind.String, media["example"]!.GetValueKind());
        }
    }

    [Theory]
    [MemberData(nameof(OperationIds))]
    public void EveryJsonExample_DeserialisesIntoItsBodyType_WithoutUnknownProperties(string operationId)
    {
        var function = FunctionCatalog.Functions.Single(f => f.Name == operationId);
        var attribute = (OpenApiOperationAttribute?)Attribute.GetCustomAttribute(function.Method, typeof(OpenApiOperationAttribute));
        var example = OpenApiExamples.For(operationId)!;
        var strict = new JsonSerializerOptions(NdhmJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

        if ((attribute?.Request ?? example.RequestType) is { } requestType && example.Request is { } request)
        {
            Assert.NotNull(request.Deserialize(requestType, strict));
        }

        if ((attribute?.Response ?? example.ResponseType) is { } responseType && example.Response is { } response)
        {
            Assert.NotNull(response.Deserialize(responseType, strict));
        }
    }

    [Fact]
    public void ExampleIdentifiers_AreValid_AbhaNumbersFacilityIdsAndHprIds()
    {
        var checkedValues = 0;
        foreach (var id in OpenApiExamples.OperationIds)
        {
            var example = OpenApiExamples.For(id)!;
            foreach (var (name, value) in Strings(example.Request).Concat(Strings(example.Response)))
            {
                switch (name)
                {
                    case "ABHANumber" or "abhaNumber":
                        Assert.True(AbhaNumber.TryParse(value, out _), $"{id}: {value} is not a valid ABHA number");
                        checkedValues++;
                        break;
                    case "facilityId" or "facilityIds" or "facilities":
                        FacilityId.Parse(value);
                        checkedValues++;
                        break;
                    case "hprId":
                        HprId.Parse(value);
                        checkedValues++;
                        break;
                }
            }
        }

        Assert.True(checkedValues > 20, $"only {checkedValues} identifiers found in the examples");
    }

    [Theory]
    [InlineData("RegisterFacility")]
    [InlineData("UpdateFacility")]
    public void FacilityExamples_PassTheRegistrysValidation_PinCodeOfItsState(string operationId)
    {
        var input = OpenApiExamples.For(operationId)!.Request!.Deserialize<FacilityInput>(NdhmJson.Options)!;

        var details = FacilityValidation.Validate(input);

        Assert.True(PostalCircles.Serves(details.Address.StateCode, details.Address.Pincode));
    }

    [Theory]
    [InlineData("RegisterProfessional")]
    [InlineData("UpdateProfessional")]
    public void ProfessionalExamples_PassTheRegistrysValidation(string operationId)
    {
        var input = OpenApiExamples.For(operationId)!.Request!.Deserialize<ProfessionalInput>(NdhmJson.Options)!;

        Assert.NotNull(ProfessionalValidation.Validate(input));
    }

    [Fact]
    public void OutsideTheSandbox_TheDocumentListsNoSandboxEndpoint()
    {
        var production = OpenApiDocument.Build(FunctionCatalog.Functions, "api", "1.0.0", includeSandbox: false);

        var paths = production["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain(paths, p => p.StartsWith("/api/sandbox", StringComparison.Ordinal));
        Assert.DoesNotContain(Operations(production), o => o.Operation["tags"]!.AsArray().Any(t => t!.GetValue<string>() == "Sandbox"));
        Assert.Contains("/api/health", paths);
        Assert.Contains("/api/docs", paths);
    }

    [Fact]
    public void InTheSandbox_TheDocumentListsTheSandboxEndpoints()
    {
        var paths = Document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Contains("/api/sandbox/tokens", paths);
        Assert.Contains("/api/sandbox/bridges/{bridge}/received", paths);
        Assert.Contains("/api/sandbox/otp-outbox", paths);
    }

    private static bool IsBodyless(FunctionDescriptor function) =>
        function.TriggerAs<HttpTriggerAttribute>().Methods is { } methods &&
        methods.All(m => m.Equals("get", StringComparison.OrdinalIgnoreCase) || m.Equals("post", StringComparison.OrdinalIgnoreCase)
                         || m.Equals("delete", StringComparison.OrdinalIgnoreCase));

    private static string Methods(FunctionDescriptor function) => string.Join(",", function.TriggerAs<HttpTriggerAttribute>().Methods ?? []);

    /// <summary>
    /// Validates an example against its schema (resolving <c>#/components/schemas/...</c>), with unknown properties
    /// refused so that a misspelt example field fails here rather than confusing a reader.
    /// </summary>
    private static void AssertValid(JsonNode schemaOrRef, JsonNode? example, string what)
    {
        Assert.True(example is not null, $"{what}: no example");
        var schema = schemaOrRef["$ref"] is { } reference
            ? Document["components"]!["schemas"]![reference.GetValue<string>().Split('/').Last()]!.DeepClone()
            : schemaOrRef.DeepClone();
        Assert.True(schema is not null, $"{what}: schema {schemaOrRef} is not in the document");
        ForbidUnknownProperties(schema);
        var built = JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var results = built.Evaluate(JsonSerializer.SerializeToElement(example), new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"));
        Assert.True(results.IsValid, $"{what} does not match its schema: {string.Join("; ", errors)}");
    }

    private static void ForbidUnknownProperties(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject && obj["additionalProperties"] is null)
                {
                    obj["additionalProperties"] = false;
                }

                foreach (var (_, child) in obj.ToList())
                {
                    ForbidUnknownProperties(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    ForbidUnknownProperties(child);
                }

                break;
        }
    }

    private static IEnumerable<(string Name, string Value)> Strings(JsonNode? node, string name = "")
    {
        switch (node)
        {
            case JsonObject obj:
                return obj.SelectMany(p => Strings(p.Value, p.Key));
            case JsonArray array:
                return array.SelectMany(item => Strings(item, name));
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return [(name, value.GetValue<string>())];
            default:
                return [];
        }
    }
}
