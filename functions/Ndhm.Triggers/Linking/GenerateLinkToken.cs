using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP asks for a link token for a patient (ABHA + name, gender, year of birth): 202, then /v3/hip/token/on-generate-token.</summary>
public sealed class GenerateLinkToken(GatewayRequestVerifier verifier, HipInitiatedLinkingService linking)
{
    [Function(nameof(GenerateLinkToken))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v3 token/generate-token (HIECM-LinkTokenService): 202, callback /v3/hip/token/on-generate-token with a 24 h link token.",
        Request = typeof(GenerateLinkTokenRequest), Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/token/generate-token")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<GenerateLinkTokenRequest>(ct);
        var request = body.ToDomain();
        HipInitiatedLinkingService.Validate(request);
        return await verifier.AcceptOnceAsync(inbound, nameof(GenerateLinkToken), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"),
            token => linking.GenerateTokenAsync(AbdmLinking.Hip(inbound), inbound.RequestId, request, token), ct);
    }
}
