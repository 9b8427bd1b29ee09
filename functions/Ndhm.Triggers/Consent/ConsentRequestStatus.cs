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
/// ABDM <c>POST /v0.5/consent-requests/status</c>: the HIU that made the request gets its status and artefact ids by
/// <c>/v0.5/consent-requests/on-status</c>; any other partner gets <c>error</c> (not found), as for an unknown id.
/// </summary>
public sealed class ConsentRequestStatus(AbdmRequestVerifier verifier, ConsentManager manager, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/consent-requests/on-status";

    [Function(nameof(ConsentRequestStatus))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM consent-requests/status for the HIU that made the request, answered by POST {bridge}/v0.5/consent-requests/on-status.",
        Request = typeof(AbdmConsentRequestStatusRequest), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consent-requests/status")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(ConsentRequestStatus),
            (AbdmInbound<AbdmConsentRequestStatusRequest> inbound) => ConsentHttp.RequiredField(inbound.Body.ConsentRequestId, "consentRequestId"),
            (inbound, id, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
            {
                var record = await manager.StatusForHiuAsync(inbound.Caller.Subject, ConsentHttp.Id(id), token);
                return new
                {
                    consentRequest = new
                    {
                        id = record.Id,
                        status = ConsentStatuses.Name(record.Status),
                        consentArtefacts = record.Artefacts.Select(a => new { id = a.Id }).ToList(),
                    },
                };
            }, token),
            ct);
}
