using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Cards;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed record AbhaQrToken(string QrToken);

public sealed class GetAbhaQrToken(AbhaAccountReads reads, AbhaCardService cards)
{
    [Function(nameof(GetAbhaQrToken))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The signed card payload (compact JWS) that the ABHA card's QR code carries.",
        Response = typeof(AbhaQrToken), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/account/qr-token")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await reads.ReadForQrTokenAsync(HealthIdHttp.PatientNumber(req.Caller()), ct);
        return new OkObjectResult(new AbhaQrToken(await cards.SignQrPayloadAsync(account, ct)));
    }
}
