using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>HIP-initiated linking with a link token: 202, then on-add-contexts (SUCCESS, or ABDM-1066 / ABDM-1056) to the HIP's bridge.</summary>
public sealed class AddCareContexts(AbdmRequestVerifier verifier, HipInitiatedLinkingService linking, IHipDirectory hips)
{
    [Function(nameof(AddCareContexts))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM links/link/add-contexts with a link token: 202, answered by POST {bridge}/v0.5/links/link/on-add-contexts.",
        Request = typeof(AddContextsRequest), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/link/add-contexts")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(AddCareContexts),
            (AbdmInbound<AddContextsRequest> inbound) =>
            {
                HipInitiatedLinkingService.ValidateAddContexts(inbound.Body.Link?.AccessToken, inbound.Body.Link?.Patient);
                return inbound.Body.Link!;
            },
            async (inbound, link, token) => await linking.AddContextsAsync(await AbdmLinking.HipAsync(hips, inbound, token), inbound.RequestId, link.AccessToken, link.Patient, token), ct);
}
