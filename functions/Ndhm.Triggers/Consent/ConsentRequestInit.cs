using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/consent-requests/init</c> from a HIU: the request is checked on its own (400 in ABDM's shape,
/// nothing recorded), accepted (202), then checked against the registries and Health ID and answered by
/// <c>/v0.5/consent-requests/on-init</c> with <c>consentRequest.id</c>, or with <c>error</c>.
/// </summary>
public sealed class ConsentRequestInit(AbdmRequestVerifier verifier, ConsentManager manager, AbdmCallbacks callbacks, TimeProvider time)
{
    public const string CallbackPath = "/v0.5/consent-requests/on-init";

    [Function(nameof(ConsentRequestInit))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM consent-requests/init from a HIU, answered by POST {bridge}/v0.5/consent-requests/on-init with consentRequest.id.",
        Request = typeof(AbdmConsentRequest), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consent-requests/init")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(ConsentRequestInit),
            (AbdmInbound<AbdmConsentRequest> inbound) => ConsentRequestValidation.Validate(inbound.Body.Consent, time.GetUtcNow()),
            (inbound, _, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
                new { consentRequest = new { id = (await manager.CreateAsync(inbound.Caller.Subject, inbound.RequestId, inbound.Body.Consent, token)).Id } },
                token),
            ct);
}
