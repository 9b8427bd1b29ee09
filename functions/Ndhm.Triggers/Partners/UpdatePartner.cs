using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

/// <summary>
/// A platform admin changes a partner's name, roles, bridge URL or facilities (absent fields stay), validated as at
/// registration. If-Match is optional: when sent it must be the current ETag (412 otherwise).
/// </summary>
public sealed class UpdatePartner(PartnerService partners)
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
        var partner = await partners.UpdateAsync(clientId, new PartnerDetails(body.Name, body.Roles, body.BridgeUrl, body.Facilities),
            EntityTags.IfMatch(req), ct);
        return EntityTags.WithETag(req, new OkObjectResult(PartnerResponse.From(partner.Value)), partner.ETag);
    }
}
