using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>HIP-initiated linking with a link token: 202, then on-add-contexts (SUCCESS, or ABDM-1066 / ABDM-1056) to the HIP's bridge.</summary>
public sealed class AddCareContexts(GatewayRequestVerifier verifier, HipInitiatedLinkingService linking)
{
    [Function(nameof(AddCareContexts))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v0.5 links/link/add-contexts with a link token: 202, callback /v0.5/links/link/on-add-contexts.",
        Request = typeof(AddContextsRequest), Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/link/add-contexts")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<AddContextsRequest>(ct);
        return await verifier.AcceptOnceAsync(inbound, nameof(AddCareContexts), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"),
            token => linking.AddContextsAsync(AbdmLinking.Hip(inbound), inbound.RequestId, body.Link?.AccessToken, body.Link?.Patient, token), ct);
    }
}
