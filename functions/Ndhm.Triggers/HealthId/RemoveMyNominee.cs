using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Nominees;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class RemoveMyNominee(NomineeService nominees)
{
    [Function(nameof(RemoveMyNominee))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Remove the caller's nominee (404 NOMINEE_NOT_FOUND without one).", SuccessStatus = 204, Tag = "Patient data rights")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/patients/me/nominee")] HttpRequest req,
        CancellationToken ct)
    {
        await nominees.RemoveAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new NoContentResult();
    }
}
