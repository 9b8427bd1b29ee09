using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI search, synchronous for the patient: free slots by specialty, language, fee, earliest time, doctor name, mode and distance.</summary>
public sealed class TeleconsultSearch(BookingService booking)
{
    [Function(nameof(TeleconsultSearch))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("UHI search: bookable teleconsultation slots by specialty, language, maxFeeInr, earliestStart, doctorName, mode, latitude+longitude+radiusKm.",
        Request = typeof(SlotSearch), Response = typeof(OfferList), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/search")] HttpRequest req,
        CancellationToken ct)
    {
        TelemedicineHttp.Patient(req);
        var search = await req.ReadJsonAsync<SlotSearch>(ct);
        return new OkObjectResult(new OfferList(await booking.SearchAsync(search, ct)));
    }
}
