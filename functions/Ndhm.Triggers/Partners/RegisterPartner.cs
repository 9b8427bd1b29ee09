using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

/// <summary>A platform admin onboards a partner; the response carries the client secret, once.</summary>
public sealed class RegisterPartner(PartnerService partners)
{
    [Function(nameof(RegisterPartner))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Register a partner (HIP, HIU, pharmacy...) and get its client secret, shown once.",
        Request = typeof(RegisterPartnerRequest), Response = typeof(PartnerCredentialsResponse), SuccessStatus = 201, Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/partners")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<RegisterPartnerRequest>(ct);
        var (partner, secret) = await partners.RegisterAsync(body.ClientId,
            new PartnerDetails(body.Name, body.Roles, body.BridgeUrl, body.Facilities), ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        var credentials = new PartnerCredentialsResponse(partner.Value.ClientId, secret, PartnerResponse.From(partner.Value));
        return EntityTags.WithETag(req, new ObjectResult(credentials) { StatusCode = 201 }, partner.ETag);
    }
}
