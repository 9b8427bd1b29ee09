using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The doctor cancels a booked consultation before its time; the patient gets the whole fee back.</summary>
public sealed class CancelConsultationByDoctor(ConsultationService consultations, TimeProvider time)
{
    [Function(nameof(CancelConsultationByDoctor))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("The consultation's doctor cancels it (full refund recorded); the slot is freed.",
        Request = typeof(ReasonRequest), Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/consultations/{appointmentId}/cancel")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var body = req.HasBody() ? await req.ReadJsonAsync<ReasonRequest>(ct) : new ReasonRequest(null);
        var cancelled = await consultations.CancelByDoctorAsync(doctor, appointmentId, body.Reason, ct);
        return new OkObjectResult(AppointmentView.From(cancelled, time.GetUtcNow()));
    }
}
