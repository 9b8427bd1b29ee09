using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Ndhm.Core.Security;
using Ndhm.DataTransfer;
using Ndhm.Gateway.Abdm;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>
/// ABDM <c>POST /v0.5/health-information/cm/request</c>: a HIU asks for data under a consent artefact. Checked
/// (<see cref="HiRequestChecks"/>: the HIU's artefact, GRANTED, unexpired, range inside the permission, frequency, key
/// material), then a transaction opens and its orchestration starts; <c>/v0.5/health-information/hiu/on-request</c>
/// answers with <c>hiRequest {transactionId, sessionStatus: REQUESTED}</c> or <c>error</c> (ABDM-1061 expired,
/// ABDM-1062 not granted, ABDM-1063 range, ABDM-1068 unknown artefact, ABDM-1070 frequency, ABDM-1017 key material).
/// </summary>
public sealed class HealthInformationRequest(AbdmRequestVerifier verifier, DataTransferService transfers, AbdmCallbacks callbacks)
{
    public const string CallbackPath = ITransferMessenger.HiuOnRequestPath;

    [Function(nameof(HealthInformationRequest))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM health-information/cm/request: a HIU asks for the data of a granted consent artefact, answered by POST {bridge}/v0.5/health-information/hiu/on-request with the transaction id (REQUESTED) or an error.",
        Request = typeof(AbdmHiRequest), SuccessStatus = 202, Tag = DataTransferHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/health-information/cm/request")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(HealthInformationRequest), async (AbdmInbound<AbdmHiRequest> inbound, CancellationToken token) =>
        {
            string? transactionId = null;
            await callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
            {
                transactionId = (await transfers.RequestAsync(inbound.Caller.Subject, inbound.RequestId, inbound.Body.HiRequest, token)).Id;
                return new { hiRequest = new { transactionId, sessionStatus = "REQUESTED" } };
            }, token);
            // Started only once the on-request is queued: the HIPs' hip/request is held behind that reply (see
            // ITransferMessenger.HiuOnRequestPath), which must exist by then to be waited for.
            if (transactionId is not null) await DataTransferOrchestration.EnsureStartedAsync(client, transactionId, token);
        },
            ct);
}
