using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The Schedule H/H1 dispensing register for a regulator (platform admin): prescriber, patient, drug, quantity, date. Audited.</summary>
public sealed class ListDispensingRegister(FulfilmentService fulfilment)
{
    [Function(nameof(ListDispensingRegister))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Query the Schedule H/H1 dispensing register (?from=&to= ISO 8601, default the last 30 days; ?take= 1-500).",
        Response = typeof(RegisterPage), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/dispensing-register")] HttpRequest req,
        CancellationToken ct)
    {
        var entries = await fulfilment.RegisterAsync(PharmacyHttp.Time(req, "from"), PharmacyHttp.Time(req, "to"), PharmacyHttp.Int(req, "take"), ct);
        return new OkObjectResult(new RegisterPage(entries.Select(RegisterEntryView.From).ToList()));
    }
}
