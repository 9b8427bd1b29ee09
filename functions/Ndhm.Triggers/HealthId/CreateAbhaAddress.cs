using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class CreateAbhaAddress(AbhaEnrolmentService enrolment)
{
    [Function(nameof(CreateAbhaAddress))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Claim and link an ABHA address (409 ABHA_ADDRESS_TAKEN when someone else holds it).",
        Request = typeof(CreateAbhaAddressRequest), Response = typeof(AbhaProfile), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/enrollment/enrol/abha-address")] HttpRequest req,
        CancellationToken ct)
    {
        var number = HealthIdHttp.PatientNumber(req.Caller());
        var body = await req.ReadJsonAsync<CreateAbhaAddressRequest>(ct);
        var account = await enrolment.CreateAbhaAddressAsync(number, HealthIdHttp.Require(body.AbhaAddress, "abhaAddress"),
            body.Preferred ?? false, ct);
        return new OkObjectResult(account.ToProfile());
    }
}
