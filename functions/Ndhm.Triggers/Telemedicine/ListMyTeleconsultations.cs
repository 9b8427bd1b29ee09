using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The calling patient's teleconsultations, newest first.</summary>
public sealed class ListMyTeleconsultations(BookingService booking, TimeProvider time)
{
    [Function(nameof(ListMyTeleconsultations))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The calling patient's teleconsultations, newest first.", Response = typeof(AppointmentList), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/teleconsultations")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = TelemedicineHttp.Patient(req);
        var list = await booking.ListMineAsync(patient, ct);
        var now = time.GetUtcNow();
        return new OkObjectResult(new AppointmentList(list.Select(a => AppointmentView.From(a, now)).ToList()));
    }
}
