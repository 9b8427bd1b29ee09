using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP asks for a link token for a patient (ABHA + name, gender, year of birth): 202, then /v3/hip/token/on-generate-token.</summary>
public sealed class GenerateLinkToken(AbdmRequestVerifier verifier, HipInitiatedLinkingService linking, IHipDirectory hips)
{
    [Function(nameof(GenerateLinkToken))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v3 token/generate-token (HIECM-LinkTokenService): 202, answered by POST {bridge}/v3/hip/token/on-generate-token with a 24 h link token.",
        Request = typeof(GenerateLinkTokenRequest), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/token/generate-token")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(GenerateLinkToken),
            (AbdmInbound<GenerateLinkTokenRequest> inbound) =>
            {
                var request = inbound.Body.ToDomain();
                HipInitiatedLinkingService.Validate(request);
                return request;
            },
            async (inbound, request, token) => await linking.GenerateTokenAsync(await AbdmLinking.HipAsync(hips, inbound, token), inbound.RequestId, request, token), ct);
}
