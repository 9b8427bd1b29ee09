using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Verification;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class VerifyAbha(AbhaVerification verification)
{
    [Function(nameof(VerifyAbha))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.HealthWorker, Roles.Pharmacy, Roles.Teleconsult)]
    [OpenApiOperation("Partner verification: resolve an ABHA number or address to minimal demographics (every lookup audited).",
        Response = typeof(AbhaVerificationResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/verification/abha/{numberOrAddress}")] HttpRequest req,
        string numberOrAddress, CancellationToken ct)
    {
        var key = Uri.UnescapeDataString(numberOrAddress ?? "");
        var found = await verification.VerifyAsync(key, req.Caller(), RequestIds.Get(req.HttpContext), ct);
        return new OkObjectResult(new AbhaVerificationResponse(found.AbhaNumber, found.Name, found.Gender, found.YearOfBirth,
            found.AbhaStatus, found.PreferredAbhaAddress));
    }
}
