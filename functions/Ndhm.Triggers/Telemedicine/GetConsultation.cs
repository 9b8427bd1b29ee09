using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>One consultation, for its patient or its doctor; anyone else gets 404.</summary>
public sealed class GetConsultation(ConsultationService consultations, TimeProvider time)
{
    [Function(nameof(GetConsultation))]
    [RequireRoles(Roles.Patient, Roles.Teleconsult)]
    [OpenApiOperation("A teleconsultation, for its patient or its doctor only.", Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/telemedicine/consultations/{appointmentId}")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var appointment = await consultations.GetAsync(TelemedicineHttp.Participant(req), appointmentId, ct);
        return new OkObjectResult(AppointmentView.From(appointment, time.GetUtcNow()));
    }
}
