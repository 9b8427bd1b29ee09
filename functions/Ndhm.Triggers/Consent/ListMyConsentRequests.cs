using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>The patient's consent requests, newest first; <c>?status=REQUESTED</c> lists those awaiting a decision.</summary>
public sealed class ListMyConsentRequests(ConsentManager manager)
{
    [Function(nameof(ListMyConsentRequests))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient's consent requests, newest first (status=REQUESTED|GRANTED|DENIED|REVOKED|EXPIRED filters).",
        Response = typeof(ConsentRequestList), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/consent-requests")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, manager, ct);
        var records = await manager.ListAsync(patient, ConsentHttp.Status(req), emergencyOnly: false, ct);
        return new OkObjectResult(new ConsentRequestList(records.Select(ConsentRequestView.From).ToList()));
    }
}
