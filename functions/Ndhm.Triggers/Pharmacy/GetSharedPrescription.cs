using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>A pharmacy reads a prescription shared with one of its facilities (signed document included, to verify offline).</summary>
public sealed class GetSharedPrescription(FulfilmentService fulfilment)
{
    [Function(nameof(GetSharedPrescription))]
    [RequireRoles(Roles.Pharmacy)]
    [OpenApiOperation("Read a prescription shared with your pharmacy (signed FHIR document included) and your quote; ?pharmacyId= when you serve several.",
        Response = typeof(SharedPrescriptionView), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/pharmacy/prescription-shares/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var pharmacyId = req.Query.TryGetValue("pharmacyId", out var values) ? values.ToString() : null;
        var (share, target, prescription) = await fulfilment.GetShareForPharmacyAsync(PharmacyHttp.PartnerId(req),
            PharmacyHttp.Id(id, PharmacyErrors.ShareMissing), string.IsNullOrEmpty(pharmacyId) ? null : pharmacyId, ct);
        return new OkObjectResult(new SharedPrescriptionView(share.Id, target.PharmacyId, share.OrderId,
            target.Quote is null ? null : QuoteView.From(target.Quote), PrescriptionView.From(prescription)));
    }
}
