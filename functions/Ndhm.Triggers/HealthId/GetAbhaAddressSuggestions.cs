using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetAbhaAddressSuggestions(AbhaAccountLookup lookup, AbhaAddressSuggester suggester, IAbhaAddressAvailability availability)
{
    [Function(nameof(GetAbhaAddressSuggestions))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Free ABHA address suggestions from the caller's name and birth year (ABDM enrol/suggestion).",
        Response = typeof(AbhaAddressSuggestions), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/enrollment/enrol/suggestion")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await lookup.RequireNotDeletedAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        var suggestions = await suggester.SuggestAsync(account, availability, ct);
        return new OkObjectResult(new AbhaAddressSuggestions(req.Headers["TRANSACTION_ID"].FirstOrDefault(),
            suggestions.Select(a => a.Handle).ToList()));
    }
}
