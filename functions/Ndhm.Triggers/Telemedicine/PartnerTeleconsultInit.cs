using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// UHI <c>init</c> for a partner app acting for a patient (PHR_APP, the patient's users/auth access token): 202, then
/// <c>POST {bridge}/uhi/on_init</c> with the held appointment, or an <c>error</c> (of two bookings racing for one slot, the
/// loser's names the slot, <c>SLOT_TAKEN</c>). Idempotent per requestId: the appointment id derives from it.
/// </summary>
public sealed class PartnerTeleconsultInit(PartnerUhiSteps steps, PartnerBookingService booking)
{
    public const string CallbackPath = "/uhi/on_init";

    [Function(nameof(PartnerTeleconsultInit))]
    [RequireRoles(Roles.PhrApp)]
    [OpenApiOperation("UHI init for a partner app acting for the patient of accessToken, answered by POST {bridge}/uhi/on_init with the held appointment (or error, e.g. SLOT_TAKEN naming the slot).",
        Request = typeof(UhiInitRequest), SuccessStatus = 202, Tag = TelemedicineHttp.Tag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/partner/init")] HttpRequest req,
        CancellationToken ct) =>
        steps.AcceptAsync<UhiInitRequest, InitInput>(req, nameof(PartnerTeleconsultInit), CallbackPath,
            (partner, requestId, accessToken, order, token) => booking.InitAsync(partner, requestId, accessToken, order, token), ct);
}
