using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The doctor ends the consultation; notes (optional) become an OPConsultRecord stored encrypted for the patient.</summary>
public sealed class EndConsultation(ConsultationService consultations, TimeProvider time)
{
    [Function(nameof(EndConsultation))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("The consultation's doctor ends it (IN_PROGRESS -> COMPLETED); notes make an OPConsultRecord for the patient.",
        Request = typeof(EndInput), Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/consultations/{appointmentId}/end")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var notes = req.HasBody() ? await req.ReadJsonAsync<EndInput>(ct) : new EndInput();
        var ended = await consultations.EndAsync(doctor, appointmentId, notes, ct);
        return new OkObjectResult(AppointmentView.From(ended, time.GetUtcNow()));
    }
}
