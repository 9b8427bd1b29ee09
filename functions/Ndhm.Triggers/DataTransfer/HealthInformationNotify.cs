using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Ndhm.Core.Security;
using Ndhm.DataTransfer;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>
/// ABDM <c>POST /v0.5/health-information/notify</c>. A HIP (notifier HIP) reports each care context DELIVERED or
/// ERRORED once it pushed (its last word: care contexts it leaves out are ERRORED, NOT_REPORTED); the HIU (notifier
/// HIU) reports its receipt (OK / ERRORED), kept beside the HIP's outcome. A HIP's notification after the transaction
/// closed (revoked, timed out) is refused with 409 TRANSACTION_CLOSED. ABDM answers this one endpoint with
/// <c>204 No Content</c> (the gateway spec), not the 202 of every other request: there is no callback to wait for.
/// </summary>
public sealed class HealthInformationNotify(AbdmRequestVerifier verifier, DataTransferService transfers)
{
    [Function(nameof(HealthInformationNotify))]
    [RequireRoles(Roles.Hip, Roles.Hiu)]
    [OpenApiOperation("ABDM health-information/notify: a HIP reports each care context DELIVERED/ERRORED after its push, or the HIU reports receipt (OK/ERRORED).",
        Request = typeof(AbdmHiNotification), SuccessStatus = 204, Tag = DataTransferHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/health-information/notify")] HttpRequest req,
        [DurableClient] DurableTaskClient client,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(HealthInformationNotify),
            (AbdmInbound<AbdmHiNotification> inbound) => DataTransferHttp.TransactionId(inbound.Body.Notification?.TransactionId, "notification.transactionId"),
            async (inbound, transactionId, token) =>
            {
                var done = await transfers.NotifyAsync(inbound.Caller.Subject, inbound.HipId is not null || !inbound.Caller.IsInRole(Roles.Hiu),
                    inbound.Body.Notification, token);
                await DataTransferOrchestration.HipsDoneAsync(client, transactionId, done, token);
            },
            StatusCodes.Status204NoContent, ct);
}
