using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

public sealed class RotatePartnerSecret(PartnerService partners)
{
    [Function(nameof(RotatePartnerSecret))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Issue a new client secret (shown once); the old one and its refresh tokens stop at once, issued access tokens run out (20 minutes).",
        Response = typeof(PartnerCredentialsResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/partners/{clientId}/secret")] HttpRequest req,
        string clientId,
        CancellationToken ct)
    {
        var (partner, secret) = await partners.RotateSecretAsync(clientId, ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(new PartnerCredentialsResponse(partner.ClientId, secret, PartnerResponse.From(partner)));
    }
}
