using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The calling doctor's slots (open, held and withdrawn) between from and until (default: the next days).</summary>
public sealed class ListMySlots(AvailabilityService availability, TimeProvider time)
{
    [Function(nameof(ListMySlots))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("The calling doctor's slots with their state (open, held, withdrawn); query from, until (ISO 8601).",
        Response = typeof(SlotList), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/telemedicine/slots")] HttpRequest req,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var slots = await availability.ListMineAsync(doctor, TelemedicineHttp.Time(req, "from"), TelemedicineHttp.Time(req, "until"), ct);
        var now = time.GetUtcNow();
        return new OkObjectResult(new SlotList(slots.Select(s => SlotView.From(s, now)).ToList()));
    }
}
