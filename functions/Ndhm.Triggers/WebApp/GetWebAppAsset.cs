using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>A script, stylesheet, language file or icon of the patient web app, under the site's content version.</summary>
public sealed class GetWebAppAsset
{
    [Function(nameof(GetWebAppAsset))]
    [PublicEndpoint("Static files of the patient web app: no personal data.")]
    [OpenApiOperation("A file of the patient web app (scripts, stylesheet, language files), cached as immutable under the site's content hash.", Tag = "Web app")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WebAppAssets.AssetsRoute + "/{version}/{*path}")] HttpRequest req,
        string version, string path) =>
        WebAppAssets.TryGet(version, path ?? "", out var file)
            ? new WebAppResult(file, WebAppResult.AssetCaching)
            : throw new DomainException(ErrorKind.NotFound, ErrorCodes.NotFound, "No such web app file.",
                "Load the page (/api/app) again: it names the current version of every file.");
}
