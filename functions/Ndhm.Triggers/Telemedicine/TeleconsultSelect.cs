using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI select: the quote for one slot (price, hold time, cancellation terms). Holds nothing.</summary>
public sealed class TeleconsultSelect(BookingService booking)
{
    [Function(nameof(TeleconsultSelect))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("UHI select: the quote for a slot (price, how long init holds it, cancellation terms).",
        Request = typeof(SlotIdRequest), Response = typeof(SlotQuote), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/select")] HttpRequest req,
        CancellationToken ct)
    {
        TelemedicineHttp.Patient(req);
        var body = await req.ReadJsonAsync<SlotIdRequest>(ct);
        return new OkObjectResult(await booking.SelectAsync(body.SlotId, ct));
    }
}
