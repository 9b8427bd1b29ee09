using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>The patient asks a HIP for their records: /v0.5/care-contexts/discover goes to the HIP's bridge; poll the discovery.</summary>
public sealed class DiscoverCareContexts(PatientLinkingService linking, TimeProvider time)
{
    [Function(nameof(DiscoverCareContexts))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Discover the caller's care contexts at a HIP (PATIENT token): 202 with the transactionId; the HIP answers within the discovery timeout.",
        Request = typeof(DiscoverRequest), Response = typeof(DiscoveryResponse), SuccessStatus = 202, Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/discover")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<DiscoverRequest>(ct);
        var session = await linking.StartDiscoveryAsync(LinkingHttp.Patient(req.Caller()), body.HipId, ct);
        return LinkingHttp.Accepted(DiscoveryResponse.From(session, time.GetUtcNow()));
    }
}
