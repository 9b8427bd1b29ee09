using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>UHI confirm: payment recorded, the patient's teleconsultation consent recorded, the booking made permanent.</summary>
public sealed class TeleconsultConfirm(BookingService booking, TimeProvider time)
{
    [Function(nameof(TeleconsultConfirm))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("UHI confirm: with the payment reference and the patient's teleconsultation consent (required, recorded).",
        Request = typeof(ConfirmInput), Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/confirm")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = TelemedicineHttp.Patient(req);
        var input = await req.ReadJsonAsync<ConfirmInput>(ct);
        var confirmed = await booking.ConfirmAsync(patient, input, ct);
        return new OkObjectResult(AppointmentView.From(confirmed, time.GetUtcNow()));
    }
}
