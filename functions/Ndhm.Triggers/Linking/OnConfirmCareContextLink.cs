using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP's answer to link/confirm: the care contexts it linked (they are linked to the ABHA), or an error (wrong OTP).</summary>
public sealed class OnConfirmCareContextLink(AbdmRequestVerifier verifier, PatientLinkingService linking)
{
    [Function(nameof(OnConfirmCareContextLink))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM links/link/on-confirm from the HIP the confirmation went to: 202.", Request = typeof(OnConfirmRequest), SuccessStatus = 202,
        Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/link/on-confirm")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(OnConfirmCareContextLink), (AbdmInbound<OnConfirmRequest> inbound, CancellationToken token) =>
            linking.OnConfirmAsync(inbound.Caller.Subject, inbound.Body.Resp?.RequestId, inbound.Body.Patient, inbound.Body.Error?.ToError(), token), ct);
}
