using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient's own prescription shares with their quotes and the order picked, newest first.</summary>
public sealed class ListMyPrescriptionShares(PatientPharmacyListing listing)
{
    [Function(nameof(ListMyPrescriptionShares))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Your prescription shares, newest first (at most 50), with the quotes and the order id once you ordered.",
        Response = typeof(ShareList), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/prescription-shares")] HttpRequest req,
        CancellationToken ct)
    {
        var shares = await listing.SharesAsync(PharmacyHttp.PatientNumber(req), ct);
        return new OkObjectResult(new ShareList(shares.Select(ShareView.From).ToList()));
    }
}
