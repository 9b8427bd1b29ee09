using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Hosting;

namespace Ndhm.Triggers.Platform;

public sealed class GetOpenApiDocument
{
    private static readonly Lazy<string> Document = new(() =>
        OpenApiDocument.Build(FunctionCatalog.Functions, "api",
            typeof(GetOpenApiDocument).Assembly.GetName().Version?.ToString(3) ?? "1.0.0").ToJsonString());

    [Function(nameof(GetOpenApiDocument))]
    [PublicEndpoint("API descriptions are public so integrators can generate clients.")]
    [OpenApiOperation("This OpenAPI 3.1 document.")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        new ContentResult { Content = Document.Value, ContentType = "application/json", StatusCode = 200 };
}
