using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.OpenApi;

/// <summary>
/// The interactive API reference: Scalar rendering <c>/api/openapi.json</c>, in every environment. The page only
/// reads; requests go out only when a reader sends one from its "try it" client, to this API.
/// </summary>
public sealed class GetApiReference
{
    [Function(nameof(GetApiReference))]
    [PublicEndpoint("The API reference shows the public OpenAPI document; integrators read it before they have credentials.")]
    [OpenApiOperation("Interactive API reference (HTML) of this OpenAPI document, with examples and a try-it client.", Tag = "Platform")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiReferenceAssets.RoutePrefix)] HttpRequest req) =>
        new ApiReferenceResult(ApiReferenceAssets.Page(ApiReferenceAssets.HostRoutePrefix), ApiReferenceResult.PageCaching);
}
