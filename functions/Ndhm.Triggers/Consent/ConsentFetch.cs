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
/// ABDM <c>POST /v0.5/consents/fetch</c>: a party to the artefact (its HIU, or a HIP serving its HIP) gets it, signed,
/// with its current status by <c>/v0.5/consents/on-fetch</c>; anyone else gets <c>error</c>, never the artefact.
/// </summary>
public sealed class ConsentFetch(AbdmRequestVerifier verifier, ConsentManager manager, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/consents/on-fetch";

    [Function(nameof(ConsentFetch))]
    [RequireRoles(Roles.Hiu, Roles.Hip)]
    [OpenApiOperation("ABDM consents/fetch by a party to the artefact, answered by POST {bridge}/v0.5/consents/on-fetch with the signed artefact.",
        Request = typeof(AbdmConsentFetchRequest), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consents/fetch")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(ConsentFetch),
            (AbdmInbound<AbdmConsentFetchRequest> inbound) => ConsentHttp.RequiredField(inbound.Body.ConsentId, "consentId"),
            (inbound, id, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
            {
                var (record, artefact) = await manager.FetchAsync(inbound.Caller.Subject, ConsentHttp.ArtefactId(id), token);
                return new { consent = new { status = ConsentStatuses.Name(record.Status), consentDetail = artefact.Detail, signature = artefact.Signature } };
            }, token),
            ct);
}
