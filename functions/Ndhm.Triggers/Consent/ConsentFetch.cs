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
/// ABDM <c>POST /v0.5/consents/fetch</c>: a party to the artefact (its HIU, or a HIP serving its HIP) gets it, signed,
/// with its current status by <c>/v0.5/consents/on-fetch</c>; anyone else gets <c>error</c> (ABDM-1060), never the artefact.
/// </summary>
public sealed class ConsentFetch(GatewayRequestVerifier verifier, ConsentManager manager, AbdmConsentCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/consents/on-fetch";

    [Function(nameof(ConsentFetch))]
    [RequireRoles(Roles.Hiu, Roles.Hip)]
    [OpenApiOperation("ABDM consent artefact fetch by a party to it: 202 now, /v0.5/consents/on-fetch with the signed artefact later.",
        Request = typeof(AbdmConsentFetchRequest), Response = typeof(AbdmAccepted), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consents/fetch")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<AbdmConsentFetchRequest>(ct);
        if (string.IsNullOrWhiteSpace(body.ConsentId))
            throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "consentId is required.", "consentId");
        return await verifier.AcceptOnceAsync(inbound, nameof(ConsentFetch), body, new AbdmAccepted(inbound.RequestId, "ACCEPTED"), async token =>
        {
            IReadOnlyDictionary<string, object?> payload;
            try
            {
                var (record, artefact) = await manager.FetchAsync(inbound.Caller.Subject, ConsentHttp.ArtefactId(body.ConsentId.Trim()), token);
                payload = new Dictionary<string, object?>
                {
                    ["consent"] = new
                    {
                        status = ConsentStatuses.Name(record.Status),
                        consentDetail = artefact.Detail,
                        signature = artefact.Signature,
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
