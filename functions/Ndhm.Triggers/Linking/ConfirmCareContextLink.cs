using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>The patient's OTP for a HIP's link reference: /v0.5/links/link/confirm goes to the HIP, whose on-confirm links the care contexts.</summary>
public sealed class ConfirmCareContextLink(PatientLinkingService linking)
{
    [Function(nameof(ConfirmCareContextLink))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Confirm a link with the OTP (PATIENT token): 202 CONFIRMING; poll the link request until LINKED.",
        Request = typeof(LinkConfirmRequest), Response = typeof(LinkRequestResponse), SuccessStatus = 202, Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/links/{linkRefNumber}/confirm")] HttpRequest req,
        string linkRefNumber,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LinkConfirmRequest>(ct);
        var request = await linking.ConfirmAsync(LinkingHttp.Patient(req.Caller()), linkRefNumber, body.Otp, ct);
        return LinkingHttp.Accepted(LinkRequestResponse.From(request));
    }
}
