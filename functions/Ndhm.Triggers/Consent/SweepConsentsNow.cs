using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>Runs the consent sweep now (what the timer does every minute): expiries due and unsent notifications (subscription events a crash left untold among them).</summary>
public sealed class SweepConsentsNow(ConsentManager manager, Ndhm.Consent.Subscriptions.SubscriptionManager subscriptions)
{
    [Function(nameof(SweepConsentsNow))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Expire the consents that are due and send unsent consent notifications now (platform admins).",
        Response = typeof(ConsentSweepResult), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/consents/sweep")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(new ConsentSweepResult(await manager.ExpireDueAsync(ct) + await subscriptions.ExpireDueAsync(ct), await manager.RenotifyAsync(ct) + await subscriptions.TellLeftoverEventsAsync(ct) + await subscriptions.ResendUnacknowledgedAsync(ct)));
}
