using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Ndhm.Core.Abdm;
using Ndhm.Core.Security;
using Ndhm.DataTransfer;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>
/// ABDM <c>POST /v0.5/health-information/hip/on-request</c>: a HIP acknowledges a hip/request (ACKNOWLEDGED), or refuses
/// it with <c>error</c> (its care contexts are then ERRORED, HIP_REFUSED). <c>hiRequest.transactionId</c> is required
/// with an error too (it names the transaction). Only a partner serving a HIP of the transaction may answer.
/// </summary>
public sealed class HipOnHealthInformationRequest(AbdmRequestVerifier verifier, DataTransferService transfers)
{
    [Function(nameof(HipOnHealthInformationRequest))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM health-information/hip/on-request: a HIP acknowledges (or refuses, with error) a health-information request.",
        Request = typeof(AbdmHipHiAcknowledgement), SuccessStatus = 202, Tag = DataTransferHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/health-information/hip/on-request")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(HipOnHealthInformationRequest),
            (AbdmInbound<AbdmHipHiAcknowledgement> inbound) => DataTransferHttp.TransactionId(inbound.Body.HiRequest?.TransactionId, "hiRequest.transactionId"),
            async (inbound, transactionId, token) =>
            {
                var error = inbound.Body.Error is { } e ? new AbdmError(e.Code ?? AbdmErrors.Unknown, e.Message ?? "The HIP refused the request.") : null;
                var done = await transfers.AcknowledgeAsync(inbound.Caller.Subject, inbound.HipId, transactionId, error, token);
                await DataTransferOrchestration.HipsDoneAsync(client, transactionId, done, token);
            },
            ct);
}
