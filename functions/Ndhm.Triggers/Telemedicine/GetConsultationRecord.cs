using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Telemedicine;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>The OPConsultRecord (FHIR document bundle) of an ended consultation, for its patient or its doctor.</summary>
public sealed class GetConsultationRecord(ConsultationService consultations)
{
    [Function(nameof(GetConsultationRecord))]
    [RequireRoles(Roles.Patient, Roles.Teleconsult)]
    [OpenApiOperation("The OPConsultRecord FHIR bundle the doctor's notes made, for the consultation's patient or doctor.",
        Response = typeof(System.Text.Json.JsonElement), Tag = TelemedicineHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/telemedicine/consultations/{appointmentId}/record")] HttpRequest req,
        string appointmentId,
        CancellationToken ct)
    {
        var bundle = await consultations.ReadRecordAsync(TelemedicineHttp.Participant(req), appointmentId, ct);
        return new ContentResult { Content = bundle, ContentType = "application/fhir+json", StatusCode = StatusCodes.Status200OK };
    }
}
