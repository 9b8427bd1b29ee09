using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP's answer to a discovery: its patient reference and care contexts, or an error (no match, several matches).</summary>
public sealed class OnDiscoverCareContexts(AbdmRequestVerifier verifier, PatientLinkingService linking)
{
    [Function(nameof(OnDiscoverCareContexts))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM care-contexts/on-discover from the HIP the discovery went to: 202 (an unknown, closed or another HIP's transaction: ABDM-1040).",
        Request = typeof(OnDiscoverRequest), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/care-contexts/on-discover")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(OnDiscoverCareContexts), (AbdmInbound<OnDiscoverRequest> inbound, CancellationToken token) =>
            linking.OnDiscoverAsync(inbound.Caller.Subject, inbound.Body.TransactionId, inbound.Body.Resp?.RequestId, inbound.Body.Patient,
                inbound.Body.Error?.ToError(), token), ct);
}
