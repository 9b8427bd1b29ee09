using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI status: the patient's own appointment.</summary>
public sealed class TeleconsultStatus(BookingService booking, TimeProvider time)
{
    [Function(nameof(TeleconsultStatus))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("UHI status: the calling patient's appointment (another patient's id answers 404).",
        Request = typeof(AppointmentIdRequest), Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/status")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = TelemedicineHttp.Patient(req);
        var body = await req.ReadJsonAsync<AppointmentIdRequest>(ct);
        return new OkObjectResult(AppointmentView.From(await booking.StatusAsync(patient, body.AppointmentId, ct), time.GetUtcNow()));
    }
}
