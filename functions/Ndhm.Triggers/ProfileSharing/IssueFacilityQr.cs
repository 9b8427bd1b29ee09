using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking.ProfileSharing;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.ProfileSharing;

/// <summary>A HIP gets a signed QR for one of its facilities and a counter, to print for patients to scan.</summary>
public sealed class IssueFacilityQr(ProfileShareService sharing)
{
    [Function(nameof(IssueFacilityQr))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("A signed facility QR for one of the caller's HIP facilities and a counter (compact JWS, typ ndhm-facility-qr+jws, verifiable with the JWKS).",
        Request = typeof(FacilityQrRequest), Response = typeof(FacilityQrResponse), SuccessStatus = 201, Tag = ProfileSharingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/facility-qr")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<FacilityQrRequest>(ct);
        var (qr, claims) = await sharing.IssueQrAsync(req.Caller().Subject, body.HipId?.Trim(), body.CounterId?.Trim(), ct);
        return new ObjectResult(FacilityQrResponse.From(qr, claims)) { StatusCode = 201 };
    }
}
