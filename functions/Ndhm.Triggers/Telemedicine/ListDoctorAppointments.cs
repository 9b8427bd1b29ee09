using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The calling doctor's booked consultations (confirmed and later), soonest first; each listed one is audited on its patient's chain.</summary>
public sealed class ListDoctorAppointments(ConsultationService consultations, TimeProvider time)
{
    [Function(nameof(ListDoctorAppointments))]
    [RequireRoles(Roles.Teleconsult)]
    [OpenApiOperation("The calling doctor's teleconsultations from a time (query from, default a day ago); only their own.",
        Response = typeof(AppointmentList), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/telemedicine/doctor/appointments")] HttpRequest req,
        CancellationToken ct)
    {
        var doctor = TelemedicineHttp.Doctor(req);
        var list = await consultations.ListForDoctorAsync(doctor, TelemedicineHttp.Time(req, "from"), ct);
        var now = time.GetUtcNow();
        return new OkObjectResult(new AppointmentList(list.Select(a => AppointmentView.From(a, now)).ToList()));
    }
}
