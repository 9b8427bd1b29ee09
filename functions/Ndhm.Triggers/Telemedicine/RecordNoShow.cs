using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>A participant records that the other did not appear (refund by the cancellation policy).</summary>
public sealed class RecordNoShow(ConsultationService consultations, TimeProvider time)
{
    [Function(nameof(RecordNoShow))]
    [RequireRoles(Roles.Patient, Roles.Teleconsult)]
    [OpenApiOperation("The patient records the doctor's no-show (full refund), or the doctor the patient's, after the grace period.",
        Response = typeof(AppointmentView), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/consultations/{appointmentId}/no-show")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var recorded = await consultations.RecordNoShowAsync(TelemedicineHttp.Participant(req), appointmentId, ct);
        return new OkObjectResult(AppointmentView.From(recorded, time.GetUtcNow()));
    }
}
