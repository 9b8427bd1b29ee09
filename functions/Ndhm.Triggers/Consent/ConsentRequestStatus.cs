using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/consent-requests/status</c>: the HIU that made the request gets its status and artefact ids by
/// <c>/v0.5/consent-requests/on-status</c>; any other partner gets <c>error</c> (ABDM-1060), as for an unknown id.
/// </summary>
public sealed class ConsentRequestStatus(GatewayRequestVerifier verifier, ConsentManager manager, AbdmConsentCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/consent-requests/on-status";

    [Function(nameof(ConsentRequestStatus))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM consent request status for the HIU that made it: 202 now, /v0.5/consent-requests/on-status later.",
        Request = typeof(AbdmConsentRequestStatusRequest), Response = typeof(AbdmAccepted), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consent-requests/status")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<AbdmConsentRequestStatusRequest>(ct);
        if (string.IsNullOrWhiteSpace(body.ConsentRequestId))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "consentRequestId is required.", "consentRequestId");
        return await verifier.AcceptOnceAsync(inbound, nameof(ConsentRequestStatus), body, new AbdmAccepted(inbound.RequestId, "ACCEPTED"), async token =>
        {
            IReadOnlyDictionary<string, object?> payload;
            try
            {
                var record = await manager.StatusForHiuAsync(inbound.Caller.Subject, ConsentHttp.Id(body.ConsentRequestId.Trim()), token);
                payload = new Dictionary<string, object?>
                {
                    ["consentRequest"] = new
                    {
                        id = record.Id,
                        status = ConsentStatuses.Name(record.Status),
                        consentArtefacts = record.Artefacts.Select(a => new { id = a.Id }).ToList(),
                    },
                };
            }
            catch (DomainException e) when (e.Kind is not ErrorKind.DependencyUnavailable)
            {
                payload = AbdmConsentCallbacks.Error(e);
            }

            await callbacks.SendAsync(inbound, CallbackPath, payload, token);
        }, ct);
    }
}
