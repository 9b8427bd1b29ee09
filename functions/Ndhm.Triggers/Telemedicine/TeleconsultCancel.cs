using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI cancel: the patient cancels before the start; the refund follows the cancellation policy and is recorded.</summary>
public sealed class TeleconsultCancel(BookingService booking, TimeProvider time)
{
    [Function(nameof(TeleconsultCancel))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("UHI cancel: the calling patient cancels their appointment before its start (refund by policy, slot freed).",
        Request = typeof(CancelInput), Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/cancel")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = TelemedicineHttp.Patient(req);
        var input = await req.ReadJsonAsync<CancelInput>(ct);
        return new OkObjectResult(AppointmentView.From(await booking.CancelAsync(patient, input, ct), time.GetUtcNow()));
    }
}
