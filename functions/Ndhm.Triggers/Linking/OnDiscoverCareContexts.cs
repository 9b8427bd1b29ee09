using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP's answer to a discovery: its patient reference and care contexts, or an error (no match, several matches).</summary>
public sealed class OnDiscoverCareContexts(GatewayRequestVerifier verifier, PatientLinkingService linking)
{
    [Function(nameof(OnDiscoverCareContexts))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v0.5 care-contexts/on-discover from the HIP the discovery went to: 202.", Request = typeof(OnDiscoverRequest),
        Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/care-contexts/on-discover")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<OnDiscoverRequest>(ct);
        return await verifier.AcceptOnceAsync(inbound, nameof(OnDiscoverCareContexts), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"),
            token => linking.OnDiscoverAsync(inbound.Caller.Subject, body.TransactionId, body.Resp?.RequestId, body.Patient, body.Error?.ToError(), token), ct);
    }
}
