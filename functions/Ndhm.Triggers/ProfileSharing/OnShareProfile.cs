using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking.ProfileSharing;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.ProfileSharing;

/// <summary>The HIP's answer to a profile share: SUCCESS with its token number for the patient, or FAILURE / an error.</summary>
public sealed class OnShareProfile(AbdmRequestVerifier verifier, ProfileShareService sharing)
{
    [Function(nameof(OnShareProfile))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM patients/profile/on-share from the HIP the profile went to: 202 (another HIP's or an unknown share: 404 ABDM-1040; answered or timed out: 409).",
        Request = typeof(OnShareProfileRequest), SuccessStatus = 202, Tag = ProfileSharingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/patients/profile/on-share")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(OnShareProfile), (AbdmInbound<OnShareProfileRequest> inbound, CancellationToken token) =>
            sharing.OnShareAsync(inbound.Caller.Subject, inbound.Body.Resp?.RequestId, inbound.Body.Acknowledgement, inbound.Body.Error?.ToError(), token), ct);
}
