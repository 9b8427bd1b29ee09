using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.Triggers.Partners;

public sealed class GetPartner(PartnerService partners)
{
    [Function(nameof(GetPartner))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Get a partner (ETag: for If-Match on PATCH).", Response = typeof(PartnerResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/partners/{clientId}")] HttpRequest req,
        string clientId,
        CancellationToken ct)
    {
        var partner = await partners.GetAsync(clientId, ct);
        return EntityTags.WithETag(req, new OkObjectResult(PartnerResponse.From(partner)), partner.ETag!);
    }
}

/// <summary>
/// A platform admin changes a partner's name, roles, bridge URL or facilities (absent fields stay), validated as at
/// registration. If-Match is optional: when sent it must be the current ETag (412 otherwise).
/// </summary>
public sealed class UpdatePartner(PartnerService partners, SandboxEnvironment sandbox, CachedPartnerDirectory directory)
{
    [Function(nameof(UpdatePartner))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Change a partner's name, roles, bridgeUrl or facilities (If-Match: its ETag, optional).",
        Request = typeof(UpdatePartnerRequest), Response = typeof(PartnerResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/partners/{clientId}")] HttpRequest req,
        string clientId,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<UpdatePartnerRequest>(ct);
        var changes = new PartnerChanges(
            body.Name is null ? null : PartnerRules.ValidateName(body.Name),
            body.Roles is null ? null : PartnerRules.ValidateRoles(body.Roles),
            body.BridgeUrl is null ? null : PartnerRules.ValidateBridgeUrl(body.BridgeUrl, sandbox.IsSandbox),
            body.Facilities is null ? null : PartnerRules.ValidateFacilities(body.Facilities));
        var partner = await partners.UpdateAsync(clientId, changes, EntityTags.IfMatch(req), ct);
        directory.Invalidate(clientId);
        return EntityTags.WithETag(req, new OkObjectResult(PartnerResponse.From(partner)), partner.ETag!);
    }
}

public sealed class ListPartners(IPartnerStore store)
{
    [Function(nameof(ListPartners))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("List partners (at most 500, by client id).", Response = typeof(PartnerListResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/partners")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(new PartnerListResponse((await store.ListAsync(500, ct)).Select(PartnerResponse.From).ToList()));
}

public sealed class DeactivatePartner(PartnerService partners, CachedPartnerDirectory directory)
{
    [Function(nameof(DeactivatePartner))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Deactivate a partner: no new sessions or refreshes, no more callbacks, its event stream deleted; its issued access tokens "
        + "are refused (401 PARTNER_INACTIVE) at once on this instance, within 30 seconds on others.",
        Response = typeof(PartnerResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/partners/{clientId}/deactivate")] HttpRequest req,
        string clientId,
        CancellationToken ct)
    {
        var partner = await partners.DeactivateAsync(clientId, ct);
        directory.Invalidate(clientId);
        return new OkObjectResult(PartnerResponse.From(partner));
    }
}

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
