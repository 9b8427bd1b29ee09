using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>ABDM <c>POST /v0.5/users/auth/init</c>: 202, then <c>on-init</c> with the transactionId (MOBILE_OTP: the OTP is sent).</summary>
public sealed class UserAuthInit(AbdmRequestVerifier verifier, PartnerAuthService auth, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/users/auth/on-init";

    [Function(nameof(UserAuthInit))]
    [RequireRoles(Roles.Hip, Roles.Hiu)]
    [OpenApiOperation("ABDM users/auth/init: opens an authentication transaction (MOBILE_OTP sends the OTP), answered by POST {bridge}/v0.5/users/auth/on-init.",
        Request = typeof(AuthInitRequest), SuccessStatus = 202, Tag = "ABDM user auth")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/users/auth/init")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(UserAuthInit),
            (AbdmInbound<AuthInitRequest> inbound) => (
                Id: PartnerAuthHttp.RequiredId(inbound.Body.Query?.Id, "query.id"),
                Purpose: PartnerAuthHttp.Required(inbound.Body.Query?.Purpose, "query.purpose"),
                Requester: PartnerAuthHttp.Requester(inbound, inbound.Body.Query?.Requester)),
            (inbound, query, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
            {
                var result = await auth.InitAsync(query.Id, query.Purpose, inbound.Body.Query?.AuthMode, query.Requester, inbound.RequestId, token);
                return new { auth = new AuthInitAnswer(result.TransactionId, result.Mode, new AuthMeta(result.Hint, AbdmCallbacks.Timestamp(result.Expiry))) };
            }, token),
            ct);
}
