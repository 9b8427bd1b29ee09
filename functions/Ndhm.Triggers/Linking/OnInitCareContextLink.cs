using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP's answer to link/init: its link reference and how the OTP reaches the patient (DIRECT, or MEDIATE: the platform sends it).</summary>
public sealed class OnInitCareContextLink(AbdmRequestVerifier verifier, PatientLinkingService linking)
{
    [Function(nameof(OnInitCareContextLink))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM links/link/on-init from the HIP the link request went to: 202.", Request = typeof(OnInitRequest), SuccessStatus = 202,
        Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/link/on-init")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(OnInitCareContextLink), (AbdmInbound<OnInitRequest> inbound, CancellationToken token) =>
        {
            var (link, meta) = (inbound.Body.Link, inbound.Body.Link?.Meta);
            return linking.OnInitAsync(inbound.Caller.Subject, inbound.Body.Resp?.RequestId, link?.ReferenceNumber, link?.AuthenticationType,
                meta?.CommunicationMedium, meta?.CommunicationHint, meta?.CommunicationExpiry, inbound.Body.Error?.ToError(), token);
        }, ct);
}
