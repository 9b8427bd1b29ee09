using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking.ProfileSharing;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Linking;

namespace Ndhm.Triggers.ProfileSharing;

/// <summary>One of the patient's profile shares: PENDING, SHARED (with the HIP's token number), FAILED or TIMED_OUT.</summary>
public sealed class GetProfileShare(ProfileShareService sharing, TimeProvider time)
{
    [Function(nameof(GetProfileShare))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("One of the caller's profile shares (others': 404).", Response = typeof(ProfileShareResponse), Tag = ProfileSharingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/profile/shares/{requestId}")] HttpRequest req,
        string requestId,
        CancellationToken ct)
    {
        var share = await sharing.GetAsync(LinkingHttp.Patient(req.Caller()), requestId, ct);
        return new OkObjectResult(ProfileShareResponse.From(share, time.GetUtcNow()));
    }
}
