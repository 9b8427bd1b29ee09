using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient's share with the pharmacies' quotes so far.</summary>
public sealed class GetMyPrescriptionShare(FulfilmentService fulfilment)
{
    [Function(nameof(GetMyPrescriptionShare))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Read your prescription share and the quotes pharmacies sent.", Response = typeof(ShareView), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/prescription-shares/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var share = await fulfilment.GetShareForPatientAsync(PharmacyHttp.PatientNumber(req), PharmacyHttp.Id(id, PharmacyErrors.ShareMissing), ct);
        return new OkObjectResult(ShareView.From(share));
    }
}
