using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Partners;

/// <summary>A platform admin onboards a partner; the response carries the client secret, once.</summary>
public sealed class RegisterPartner(PartnerService partners, SandboxEnvironment sandbox)
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
        var registration = new PartnerRegistration(
            PartnerRules.ValidateClientId(body.ClientId),
            PartnerRules.ValidateName(body.Name),
            PartnerRules.ValidateRoles(body.Roles),
            PartnerRules.ValidateBridgeUrl(body.BridgeUrl, sandbox.IsSandbox),
            PartnerRules.ValidateFacilities(body.Facilities));
        var (partner, secret) = await partners.RegisterAsync(registration, ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        var credentials = new PartnerCredentialsResponse(partner.ClientId, secret, PartnerResponse.From(partner));
        return EntityTags.WithETag(req, new ObjectResult(credentials) { StatusCode = 201 }, partner.ETag!);
    }
}
