using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.HealthId.Encryption;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class GetAbhaPublicCertificate(AbhaFieldEncryption encryption)
{
    [Function(nameof(GetAbhaPublicCertificate))]
    [PublicEndpoint("A public key: clients need it before they have any token, to encrypt loginId and otpValue.")]
    [OpenApiOperation("The RSA-2048 public key (base64 X.509 SubjectPublicKeyInfo) to encrypt loginId and otpValue with " +
        "(RSA/ECB/OAEPWithSHA-1AndMGF1Padding); the plain values are accepted too.",
        Response = typeof(PublicCertificateResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/public/certificate")] HttpRequest req,
        CancellationToken ct)
    {
        var key = await encryption.GetPublicKeyAsync(ct);
        // Short: after a key rotation clients should pick the new key up within minutes (older versions still decrypt).
        req.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return new OkObjectResult(new PublicCertificateResponse(Convert.ToBase64String(key.SubjectPublicKeyInfo), AbhaFieldEncryption.Algorithm));
    }
}
