using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Nominees;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class SetMyNominee(NomineeService nominees, AbhaAddressOptions addresses)
{
    [Function(nameof(SetMyNominee))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Name (or replace) the caller's nominee, who may act for them on death or incapacity once a platform admin " +
        "activates the nomination (DPDP Act s.14). The nominee's ABHA address must be another, active ABHA (400 NOMINEE_SELF, " +
        "NOMINEE_NOT_ELIGIBLE); a new or replaced nomination starts NOMINATED.",
        Request = typeof(SetNomineeRequest), Response = typeof(NomineeView), Tag = "Patient data rights")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/patients/me/nominee")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<SetNomineeRequest>(ct);
        var details = NomineeRules.Details(body.AbhaAddress, body.Name, body.Relationship, body.Mobile, addresses.Suffix);
        var nomination = await nominees.SetAsync(number, details, ct);
        return new OkObjectResult(NomineeView.From(nomination));
    }
}
