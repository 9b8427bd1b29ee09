using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Hosting;
using Ndhm.Triggers.OpenApi;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Platform;

public sealed class GetOpenApiDocument(SandboxEnvironment environment)
{
    // Built once per process for each audience: the sandbox lists its own test endpoints, other environments do not.
    private static readonly Lazy<string> SandboxDocument = new(() => Build(includeSandbox: true));
    private static readonly Lazy<string> Document = new(() => Build(includeSandbox: false));

    [Function(nameof(GetOpenApiDocument))]
    [PublicEndpoint("API descriptions are public so integrators can generate clients.")]
    [OpenApiOperation("This OpenAPI 3.1 document (the interactive reference at /api/docs renders it).")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req) =>
        new ContentResult { Content = For(environment.IsSandbox), ContentType = "application/json", StatusCode = 200 };

    /// <summary>The document as this environment serves it.</summary>
    public static string For(bool sandbox) => sandbox ? SandboxDocument.Value : Document.Value;

    private static string Build(bool includeSandbox) =>
        OpenApiDocument.Build(FunctionCatalog.Functions, ApiReferenceAssets.HostRoutePrefix,
            typeof(GetOpenApiDocument).Assembly.GetName().Version?.ToString(3) ?? "1.0.0", includeSandbox).ToJsonString();
}
