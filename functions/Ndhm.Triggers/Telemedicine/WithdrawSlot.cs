using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>A doctor withdraws an unbooked slot; a booked one answers 409 SLOT_BOOKED and stays.</summary>
public sealed class WithdrawSlot(AvailabilityService availability, TimeProvider time)
{
    [Function(nameof(WithdrawSlot))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("A doctor withdraws one of their slots; refused (409 SLOT_BOOKED) while an appointment holds it.",
        Response = typeof(SlotView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/slots/{slotId}/withdraw")] HttpRequest req,
        string slotId,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var slot = await availability.WithdrawAsync(doctor, slotId, ct);
        return new OkObjectResult(SlotView.From(slot, time.GetUtcNow()));
    }
}
