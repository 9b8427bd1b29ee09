using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>
/// A pharmacy quotes for a share sent to it: per prescription item availability, quantity, unit price, and optionally a
/// substitute (same composition and strength, only where the doctor allowed substitution).
/// </summary>
public sealed class QuotePrescriptionShare(FulfilmentService fulfilment)
{
    [Function(nameof(QuotePrescriptionShare))]
    [RequireRoles(Roles.Pharmacy)]
    [OpenApiOperation("Quote for a prescription shared with your pharmacy (availability, price, substitutes of the same composition and strength).",
        Request = typeof(QuoteInput), Response = typeof(QuoteView), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/pharmacy/prescription-shares/{id}/quotes")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var partner = PharmacyHttp.PartnerId(req);
        var input = await req.ReadJsonAsync<QuoteInput>(ct);
        var quote = await fulfilment.QuoteAsync(partner, PharmacyHttp.Id(id, PharmacyErrors.ShareMissing), input, ct);
        return new OkObjectResult(QuoteView.From(quote));
    }
}
