using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Nominees;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetMyNominee(NomineeService nominees)
{
    [Function(nameof(GetMyNominee))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's nominee and whether the nomination is activated (404 NOMINEE_NOT_FOUND without one).",
        Response = typeof(NomineeView), Tag = "Patient data rights")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/nominee")] HttpRequest req,
        CancellationToken ct)
    {
        var nomination = await nominees.GetAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new OkObjectResult(NomineeView.From(nomination));
    }
}
