using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.OpenApi;

/// <summary>The API reference's scripts and icon (Scalar's, from its package, and the page's starter script).</summary>
public sealed class GetApiReferenceAsset
{
    [Function(nameof(GetApiReferenceAsset))]
    [PublicEndpoint("Static scripts of the public API reference page.")]
    [OpenApiOperation("A script or icon of the API reference page (scalar.js, scalar.aspnetcore.js, api-reference.js, favicon.svg).", Tag = "Platform")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiReferenceAssets.RoutePrefix + "/{asset}")] HttpRequest req,
        string asset) =>
        ApiReferenceAssets.TryGet(asset, out var file)
            ? new ApiReferenceResult(file, ApiReferenceResult.AssetCaching)
            : throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "No such API reference file.");
}
