using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// UHI <c>confirm</c> for a partner app acting for a patient: payment reference and the patient's teleconsultation consent
/// recorded, the hold made permanent; answered by <c>POST {bridge}/uhi/on_confirm</c> (or an <c>error</c>).
/// </summary>
public sealed class PartnerTeleconsultConfirm(PartnerUhiSteps steps, PartnerBookingService booking)
{
    public const string CallbackPath = "/uhi/on_confirm";

    [Function(nameof(PartnerTeleconsultConfirm))]
    [RequireRoles(Roles.PhrApp)]
    [OpenApiOperation("UHI confirm for a partner app acting for the patient of accessToken, answered by POST {bridge}/uhi/on_confirm with the confirmed appointment (or error).",
        Request = typeof(UhiConfirmRequest), SuccessStatus = 202, Tag = TelemedicineHttp.Tag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/partner/confirm")] HttpRequest req,
        CancellationToken ct) =>
        steps.AcceptAsync<UhiConfirmRequest, ConfirmInput>(req, nameof(PartnerTeleconsultConfirm), CallbackPath,
            (partner, requestId, accessToken, order, token) => booking.ConfirmAsync(partner, accessToken, order, token), ct);
}
