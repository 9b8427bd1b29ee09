using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP's answer to link/confirm: the care contexts it linked (they are linked to the ABHA), or an error (wrong OTP).</summary>
public sealed class OnConfirmCareContextLink(GatewayRequestVerifier verifier, PatientLinkingService linking)
{
    [Function(nameof(OnConfirmCareContextLink))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v0.5 links/link/on-confirm from the HIP the confirmation went to: 202.", Request = typeof(OnConfirmRequest),
        Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/link/on-confirm")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<OnConfirmRequest>(ct);
        return await verifier.AcceptOnceAsync(inbound, nameof(OnConfirmCareContextLink), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"),
            token => linking.OnConfirmAsync(inbound.Caller.Subject, body.Resp?.RequestId, body.Patient, body.Error?.ToError(), token), ct);
    }
}
