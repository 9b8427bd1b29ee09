using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Consent;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// Every minute: consents whose request lifetime or grant end has passed become EXPIRED (HIU and HIPs notified), and
/// notifications (and subscription events) a crash left unsent are sent. It asks the store what is due, so a host that was down catches up.
/// </summary>
public sealed class SweepConsents(ConsentManager manager, Ndhm.Consent.Subscriptions.SubscriptionManager subscriptions, ILogger<SweepConsents> logger)
{
    [Function(nameof(SweepConsents))]
    public async Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var expired = await manager.ExpireDueAsync(ct) + await subscriptions.ExpireDueAsync(ct);
        var renotified = await manager.RenotifyAsync(ct) + await subscriptions.TellLeftoverEventsAsync(ct) + await subscriptions.ResendUnacknowledgedAsync(ct);
        if (expired + renotified > 0) logger.LogInformation("Consent sweep: {Expired} expired, {Renotified} re-notified", expired, renotified);
    }
}
