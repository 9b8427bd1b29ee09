using Ndhm.Gateway.Abdm;
using Ndhm.HealthId.PartnerAuth;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// <c>/v0.5/users/auth/notify</c> through the gateway's callback machinery (recorded, retried, dead-lettered, in the
/// partner's <c>/api/v1/deliveries</c>), with X-HIP-ID or X-HIU-ID naming the role the partner opened the transaction in.
/// </summary>
public sealed class GatewayDirectAuthNotifier(AbdmCallbacks callbacks) : IDirectAuthNotifier
{
    public Task NotifyAsync(PartnerAuthTransaction transaction, string requestId, DirectAuthNotification notification, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var to = transaction.RequesterType == RequesterType.Hip
            ? AbdmParty.Hip(transaction.PartnerId, transaction.RequesterId)
            : AbdmParty.Hiu(transaction.PartnerId, transaction.RequesterId);
        // ABDM's PatientAuthNotification (ndhm-hip.yml) lists transactionId as required at the top level as well as in
        // auth: both, so a bridge validating against the published schema accepts it.
        return callbacks.NotifyAsync(to, DirectAuthService.NotifyPath, requestId, new { transactionId = notification.TransactionId, auth = notification }, ct);
    }
}
