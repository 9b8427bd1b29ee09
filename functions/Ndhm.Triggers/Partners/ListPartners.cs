using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

public sealed class ListPartners(PartnerService partners)
{
    [Function(nameof(ListPartners))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("List partners (at most 500, by client id).", Response = typeof(PartnerListResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/partners")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(new PartnerListResponse((await partners.ListAsync(500, ct)).Select(PartnerResponse.From).ToList()));
}
