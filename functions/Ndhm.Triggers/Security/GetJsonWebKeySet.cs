using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Keys;
using Ndhm.Core.Security.Tokens;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Security;

/// <summary>
/// The public keys that verify every token the platform signs (access tokens, consent artefacts, ABHA card QR
/// payloads), including the previous key version until its tokens expire.
/// </summary>
public sealed class GetJsonWebKeySet(ISigningKeys keys)
{
    [Function(nameof(GetJsonWebKeySet))]
    [PublicEndpoint("Public keys exist to be fetched by anyone verifying our signatures.")]
    [OpenApiOperation("JSON Web Key Set (RFC 7517) of the platform's signing keys.", Response = typeof(JsonWebKeySet))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest req,
        CancellationToken ct)
    {
        var set = JsonWebKeySet.From(await keys.GetPublicKeysAsync(refresh: false, ct));
        req.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return new ContentResult { Content = set.ToJson(), ContentType = "application/jwk-set+json", StatusCode = 200 };
    }
}
