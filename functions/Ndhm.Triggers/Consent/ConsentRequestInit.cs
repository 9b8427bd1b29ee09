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
/// ABDM <c>POST /v0.5/consent-requests/init</c> from a HIU: the request is checked on its own (400 with the field
/// and ABDM's code), accepted (202), then checked against the registries and Health ID and answered by
/// <c>/v0.5/consent-requests/on-init</c> with <c>consentRequest.id</c>, or with <c>error</c>.
/// </summary>
public sealed class ConsentRequestInit(GatewayRequestVerifier verifier, ConsentManager manager, AbdmConsentCallbacks callbacks, TimeProvider time)
{
    public const string CallbackPath = "/v0.5/consent-requests/on-init";

    [Function(nameof(ConsentRequestInit))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM consent request from a HIU: 202 now, /v0.5/consent-requests/on-init with consentRequest.id to the HIU's bridge.",
        Request = typeof(AbdmConsentRequest), Response = typeof(AbdmAccepted), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consent-requests/init")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<AbdmConsentRequest>(ct);
        ConsentRequestValidation.Validate(body.Consent, time.GetUtcNow());
        return await verifier.AcceptOnceAsync(inbound, nameof(ConsentRequestInit), body, new AbdmAccepted(inbound.RequestId, "ACCEPTED"), async token =>
        {
            IReadOnlyDictionary<string, object?> payload;
            try
            {
                var record = await manager.CreateAsync(inbound.Caller.Subject, inbound.RequestId, body.Consent, token);
                payload = new Dictionary<string, object?> { ["consentRequest"] = new { id = record.Id } };
            }
            catch (DomainException e) when (e.Kind is not ErrorKind.DependencyUnavailable)
            {
                payload = AbdmConsentCallbacks.Error(e);
            }

            await callbacks.SendAsync(inbound, CallbackPath, payload, token);
        }, ct);
    }
}
