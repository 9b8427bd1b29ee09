using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A link request's state: REQUESTED, AWAITING_OTP (with the HIP's link reference), CONFIRMING, LINKED or FAILED.</summary>
public sealed class GetCareContextLinkRequest(PatientLinkingService linking)
{
    [Function(nameof(GetCareContextLinkRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("One of the caller's link requests (others': 404).", Response = typeof(LinkRequestResponse), Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/link-requests/{linkRequestId}")] HttpRequest req,
        string linkRequestId,
        CancellationToken ct) =>
        new OkObjectResult(LinkRequestResponse.From(await linking.GetLinkRequestAsync(LinkingHttp.Patient(req.Caller()), linkRequestId, ct)));
}
