using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>
/// The consultation's doctor issues an e-prescription: drugs from the catalogue, checked against the Telemedicine
/// Practice Guidelines 2020 (a violating prescription is 400 with a code naming the drug and the rule); the answer
/// carries the signed FHIR PrescriptionRecord. An optional <c>Idempotency-Key</c> header makes a retry return the
/// prescription the first attempt issued rather than a second one.
/// </summary>
public sealed class IssuePrescription(PrescriptionService prescriptions)
{
    [Function(nameof(IssuePrescription))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Issue a signed e-prescription in a teleconsultation (the consultation's doctor; TPG 2020 rules apply).",
        Request = typeof(PrescriptionInput), Response = typeof(PrescriptionView), SuccessStatus = 201, Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/consultations/{id}/prescriptions")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var doctor = PharmacyHttp.DoctorHprId(req);
        var input = await req.ReadJsonAsync<PrescriptionInput>(ct);
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || !Ndhm.Core.Ids.DocumentIds.IsSafe(id))
            throw PharmacyErrors.Invalid(PharmacyErrors.ConsultationNotFound, "The consultation id is not valid.");
        var key = req.Headers.TryGetValue(Ndhm.Core.Ids.DerivedIds.IdempotencyKeyHeader, out var given) ? given.ToString() : null;
        var prescription = await prescriptions.IssueAsync(doctor, id, input, ct, PrescriptionService.IdFor(doctor, key));
        return new CreatedResult($"{req.PathBase}/api/v1/prescriptions/{prescription.Id}", PrescriptionView.From(prescription));
    }
}
