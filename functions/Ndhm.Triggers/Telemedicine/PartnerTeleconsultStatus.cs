using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// UHI <c>status</c> for a partner app acting for a patient: that patient's appointment only (another's is not found),
/// answered by <c>POST {bridge}/uhi/on_status</c>.
/// </summary>
public sealed class PartnerTeleconsultStatus(PartnerUhiSteps steps, PartnerBookingService booking)
{
    public const string CallbackPath = "/uhi/on_status";

    [Function(nameof(PartnerTeleconsultStatus))]
    [RequireRoles(Roles.PhrApp)]
    [OpenApiOperation("UHI status for a partner app acting for the patient of accessToken, answered by POST {bridge}/uhi/on_status with the appointment (or error).",
        Request = typeof(UhiStatusRequest), SuccessStatus = 202, Tag = TelemedicineHttp.Tag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/partner/status")] HttpRequest req,
        CancellationToken ct) =>
        steps.AcceptAsync<UhiStatusRequest, AppointmentIdRequest>(req, nameof(PartnerTeleconsultStatus), CallbackPath,
            (partner, requestId, accessToken, order, token) => booking.StatusAsync(partner, accessToken, order.AppointmentId, token), ct);
}
