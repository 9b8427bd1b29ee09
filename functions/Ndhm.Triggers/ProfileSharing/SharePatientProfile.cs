using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking.ProfileSharing;
using Ndhm.Triggers.Http;
using Ndhm.Triggers.Linking;

namespace Ndhm.Triggers.ProfileSharing;

/// <summary>The patient scanned a facility QR: their profile goes to that HIP (/v0.5/patients/profile/share); poll for the token number.</summary>
public sealed class SharePatientProfile(ProfileShareService sharing, TimeProvider time)
{
    [Function(nameof(SharePatientProfile))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Share the caller's profile with the HIP counter of a scanned facility QR (PATIENT token): 202; the HIP answers with a token number.",
        Request = typeof(ShareProfileRequest), Response = typeof(ProfileShareResponse), SuccessStatus = 202, Tag = ProfileSharingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/profile/share")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<ShareProfileRequest>(ct);
        var share = await sharing.ShareAsync(LinkingHttp.Patient(req.Caller()), body.Qr, ct);
        return LinkingHttp.Accepted(ProfileShareResponse.From(share, time.GetUtcNow()));
    }
}
