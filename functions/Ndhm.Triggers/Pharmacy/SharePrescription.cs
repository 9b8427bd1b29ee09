using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient shares a prescription with one pharmacy, or broadcasts it to the verified pharmacies of a pincode, for quotes.</summary>
public sealed class SharePrescription(FulfilmentService fulfilment)
{
    [Function(nameof(SharePrescription))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Share your prescription with one pharmacy (pharmacyId) or every verified pharmacy of a pincode, for quotes.",
        Request = typeof(ShareInput), Response = typeof(ShareView), SuccessStatus = 201, Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/prescriptions/{id}/shares")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = PharmacyHttp.PatientNumber(req);
        var input = await req.ReadJsonAsync<ShareInput>(ct);
        var share = await fulfilment.ShareAsync(patient, PharmacyHttp.Id(id, PharmacyErrors.PrescriptionMissing), input, ct);
        return new CreatedResult($"{req.PathBase}/api/v1/patients/me/prescription-shares/{share.Id}", ShareView.From(share));
    }
}
