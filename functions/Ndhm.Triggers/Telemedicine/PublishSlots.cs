using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>A doctor publishes availability: consecutive slots at one of their facilities; never over another live slot of theirs.</summary>
public sealed class PublishSlots(AvailabilityService availability, TimeProvider time)
{
    [Function(nameof(PublishSlots))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("A doctor publishes teleconsultation slots (from..until in slots of durationMinutes) with fee, languages, specialty, modes and facility.",
        Request = typeof(AvailabilityInput), Response = typeof(SlotList), SuccessStatus = 201, Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/slots")] HttpRequest req,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var input = await req.ReadJsonAsync<AvailabilityInput>(ct);
        var created = await availability.PublishAsync(doctor, input, ct);
        var now = time.GetUtcNow();
        return new ObjectResult(new SlotList(created.Select(s => SlotView.From(s, now)).ToList())) { StatusCode = StatusCodes.Status201Created };
    }
}
