using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class SetPreferredAbhaAddress(AbhaAccountService accounts, AbhaAddressOptions options)
{
    [Function(nameof(SetPreferredAbhaAddress))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Make one of the caller's linked ABHA addresses the preferred one.",
        Request = typeof(PreferredAbhaAddressRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/account/abha-address/preferred")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<PreferredAbhaAddressRequest>(ct);
        var address = AbhaAddress.Parse(HealthIdHttp.Require(body.AbhaAddress, "abhaAddress"), options.Suffix);
        var account = await accounts.SetPreferredAddressAsync(number, address, ct);
        return new OkObjectResult(account.ToProfile());
    }
}
