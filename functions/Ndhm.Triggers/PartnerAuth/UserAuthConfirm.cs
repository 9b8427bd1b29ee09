using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>ABDM <c>POST /v0.5/users/auth/confirm</c>: 202, then <c>on-confirm</c> with the access token and/or demographics, or the error.</summary>
public sealed class UserAuthConfirm(AbdmRequestVerifier verifier, PartnerAuthService auth, AbdmCallbacks callbacks)
{
    public const string CallbackPath = "/v0.5/users/auth/on-confirm";

    [Function(nameof(UserAuthConfirm))]
    [RequireRoles(Roles.Hip, Roles.Hiu)]
    [OpenApiOperation("ABDM users/auth/confirm: the OTP (credential.authCode) or demographics, answered by POST {bridge}/v0.5/users/auth/on-confirm.",
        Request = typeof(AuthConfirmRequest), SuccessStatus = 202, Tag = "ABDM user auth")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/users/auth/confirm")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(UserAuthConfirm),
            (AbdmInbound<AuthConfirmRequest> inbound) => (
                TransactionId: PartnerAuthHttp.RequiredId(inbound.Body.TransactionId, "transactionId"),
                Requester: PartnerAuthHttp.Requester(inbound, null)),
            (inbound, valid, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
            {
                var credential = inbound.Body.Credential;
                var result = await auth.ConfirmAsync(valid.TransactionId, credential?.AuthCode, credential?.Demographic, valid.Requester,
                    inbound.RequestId, token);
                var validity = result.TokenExpiry is { } expiry
                    ? new AccessTokenValidity(result.Purpose, new AuthRequesterRef(result.Requester.Type, result.Requester.Id), AbdmCallbacks.Timestamp(expiry), 1)
                    : null;
                return new { auth = new AuthConfirmAnswer(result.AccessToken, validity, result.Patient) };
            }, token),
            ct);
}
