using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A discovery's state: PENDING, FOUND (patient and care contexts), FAILED (the HIP's error) or TIMED_OUT (ABDM-1401).</summary>
public sealed class GetDiscovery(PatientLinkingService linking, TimeProvider time)
{
    [Function(nameof(GetDiscovery))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("One of the caller's discoveries (others': 404).", Response = typeof(DiscoveryResponse), Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/discoveries/{transactionId}")] HttpRequest req,
        string transactionId,
        CancellationToken ct)
    {
        var session = await linking.GetDiscoveryAsync(LinkingHttp.Patient(req.Caller()), transactionId, ct);
        return new OkObjectResult(DiscoveryResponse.From(session, time.GetUtcNow()));
    }
}
