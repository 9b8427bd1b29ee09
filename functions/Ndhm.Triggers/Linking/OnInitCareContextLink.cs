using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP's answer to link/init: its link reference and how the OTP reaches the patient (DIRECT, or MEDIATE: the platform sends it).</summary>
public sealed class OnInitCareContextLink(GatewayRequestVerifier verifier, PatientLinkingService linking)
{
    [Function(nameof(OnInitCareContextLink))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v0.5 links/link/on-init from the HIP the link request went to: 202.", Request = typeof(OnInitRequest),
        Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/link/on-init")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<OnInitRequest>(ct);
        return await verifier.AcceptOnceAsync(inbound, nameof(OnInitCareContextLink), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"),
            token => linking.OnInitAsync(inbound.Caller.Subject, body.Resp?.RequestId, body.Link?.ReferenceNumber, body.Link?.AuthenticationType,
                body.Link?.Meta?.CommunicationMedium, body.Link?.Meta?.CommunicationHint, body.Link?.Meta?.CommunicationExpiry, body.Error?.ToError(), token), ct);
    }
}
