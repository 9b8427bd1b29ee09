using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

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
        return EntityTags.WithETag(req, new OkObjectResult(PartnerResponse.From(partner.Value)), partner.ETag);
    }
}
