using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>A prescription with its signed document: the patient's own, or one the calling doctor issued (anyone else: 404).</summary>
public sealed class GetPrescription(PrescriptionService prescriptions)
{
    [Function(nameof(GetPrescription))]
    [RequireRoles(Roles.Patient, Roles.HealthWorker)]
    [OpenApiOperation("Read an e-prescription and its signed FHIR document (the patient's own, or the issuing doctor's).",
        Response = typeof(PrescriptionView), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/prescriptions/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var prescriptionId = PharmacyHttp.Id(id, PharmacyErrors.PrescriptionMissing);
        var patient = caller.IsInRole(Roles.Patient) && Ndhm.HealthId.Numbers.AbhaNumber.TryParse(caller.Subject, out var number) ? number.Digits : null;
        var doctor = caller.IsInRole(Roles.HealthWorker) ? PharmacyHttp.OptionalDoctorHprId(req) : null;
        var prescription = await prescriptions.GetAsync(patient, doctor, prescriptionId, ct);
        return new OkObjectResult(PrescriptionView.From(prescription));
    }
}
