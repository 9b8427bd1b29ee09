using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// UHI init: holds the slot for the patient (atomic: of two patients racing for it, one gets 409 SLOT_TAKEN). An optional
/// <c>Idempotency-Key</c> header makes a retry of the same init resume it (same appointment) rather than meet its own hold.
/// </summary>
public sealed class TeleconsultInit(BookingService booking, TimeProvider time)
{
    [Function(nameof(TeleconsultInit))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("UHI init: hold a slot for the calling patient until holdExpiresAt (409 SLOT_TAKEN naming the slot when another booking holds it).",
        Request = typeof(InitInput), Response = typeof(AppointmentView), SuccessStatus = 201, Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/telemedicine/init")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = TelemedicineHttp.Patient(req);
        var input = await req.ReadJsonAsync<InitInput>(ct);
        var key = req.Headers.TryGetValue(Ndhm.Core.Ids.DerivedIds.IdempotencyKeyHeader, out var given) ? given.ToString() : null;
        var appointment = await booking.InitAsync(patient, input, ct, BookingService.PatientAppointmentIdFor(patient, key));
        return new ObjectResult(AppointmentView.From(appointment, time.GetUtcNow())) { StatusCode = StatusCodes.Status201Created };
    }
}
