using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// UHI <c>cancel</c> for a partner app acting for a patient: before the start, refund by the cancellation policy, the slot
/// free again; answered by <c>POST {bridge}/uhi/on_cancel</c>.
/// </summary>
public sealed class PartnerTeleconsultCancel(PartnerUhiSteps steps, PartnerBookingService booking)
{
    public const string CallbackPath = "/uhi/on_cancel";

    [Function(nameof(PartnerTeleconsultCancel))]
    [RequireRoles(Roles.PhrApp)]
    [OpenApiOperation("UHI cancel for a partner app acting for the patient of accessToken, answered by POST {bridge}/uhi/on_cancel with the cancelled appointment and refund (or error).",
        Request = typeof(UhiCancelRequest), SuccessStatus = 202, Tag = TelemedicineHttp.Tag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/partner/cancel")] HttpRequest req,
        CancellationToken ct) =>
        steps.AcceptAsync<UhiCancelRequest, CancelInput>(req, nameof(PartnerTeleconsultCancel), CallbackPath,
            (partner, requestId, accessToken, order, token) => booking.CancelAsync(partner, accessToken, order, token), ct);
}
