using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient's own prescriptions, newest first (what they pick one from to share with a pharmacy).</summary>
public sealed class ListMyPrescriptions(PatientPharmacyListing listing)
{
    [Function(nameof(ListMyPrescriptions))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Your prescriptions, newest first (at most 50; items without the signed document).", Response = typeof(PrescriptionList),
        Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/prescriptions")] HttpRequest req,
        CancellationToken ct)
    {
        var prescriptions = await listing.PrescriptionsAsync(PharmacyHttp.PatientNumber(req), ct);
        return new OkObjectResult(new PrescriptionList(prescriptions.Select(PrescriptionSummaryView.From).ToList()));
    }
}
