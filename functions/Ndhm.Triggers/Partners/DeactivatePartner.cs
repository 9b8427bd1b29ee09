using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

public sealed class DeactivatePartner(PartnerService partners)
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
        return new OkObjectResult(PartnerResponse.From(partner));
    }
}
