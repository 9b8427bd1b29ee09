using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>Links chosen care contexts of a discovery: /v0.5/links/link/init goes to the HIP; poll the link request for its OTP hint.</summary>
public sealed class InitCareContextLink(PatientLinkingService linking)
{
    [Function(nameof(InitCareContextLink))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Start linking 1 to 20 discovered care contexts (PATIENT token): 202 with the link request.",
        Request = typeof(LinkInitRequest), Response = typeof(LinkRequestResponse), SuccessStatus = 202, Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/links")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LinkInitRequest>(ct);
        var request = await linking.InitLinkAsync(LinkingHttp.Patient(req.Caller()), body.TransactionId, body.CareContexts, ct);
        return LinkingHttp.Accepted(LinkRequestResponse.From(request));
    }
}
