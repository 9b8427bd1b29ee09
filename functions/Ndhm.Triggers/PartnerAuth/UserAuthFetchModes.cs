using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>ABDM <c>POST /v0.5/users/auth/fetch-modes</c>: 202, then <c>on-fetch-modes</c> to the requester's bridge.</summary>
public sealed class UserAuthFetchModes(AbdmRequestVerifier verifier, PartnerAuthService auth, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/users/auth/on-fetch-modes";

    [Function(nameof(UserAuthFetchModes))]
    [RequireRoles(Roles.Hip, Roles.Hiu)]
    [OpenApiOperation("ABDM users/auth/fetch-modes: the authentication modes for a patient and purpose, answered by POST {bridge}/v0.5/users/auth/on-fetch-modes.",
        Request = typeof(AuthModeQueryRequest), SuccessStatus = 202, Tag = "ABDM user auth")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/users/auth/fetch-modes")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(UserAuthFetchModes),
            (AbdmInbound<AuthModeQueryRequest> inbound) => (
                Id: PartnerAuthHttp.RequiredId(inbound.Body.Query?.Id, "query.id"),
                Purpose: PartnerAuthHttp.Required(inbound.Body.Query?.Purpose, "query.purpose"),
                Requester: PartnerAuthHttp.Requester(inbound, inbound.Body.Query?.Requester)),
            (inbound, query, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
                new { auth = new AuthModes(query.Purpose, await auth.FetchModesAsync(query.Id, query.Purpose, query.Requester, inbound.RequestId, token)) },
                token),
            ct);
}
