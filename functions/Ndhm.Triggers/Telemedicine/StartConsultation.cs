using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The doctor starts the consultation (from a few minutes before its time); the doctor must be verified and active now.</summary>
public sealed class StartConsultation(ConsultationService consultations, TimeProvider time)
{
    [Function(nameof(StartConsultation))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("The consultation's doctor starts it (CONFIRMED -> IN_PROGRESS).", Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/consultations/{appointmentId}/start")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var started = await consultations.StartAsync(doctor, appointmentId, ct);
        return new OkObjectResult(AppointmentView.From(started, time.GetUtcNow()));
    }
}
