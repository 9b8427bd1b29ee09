using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security.Tokens;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Security;

/// <summary>OpenID-style metadata so partners can discover the issuer and the keys that verify our tokens.</summary>
public sealed class GetOpenIdConfiguration(TokenOptions tokens)
{
    [Function(nameof(GetOpenIdConfiguration))]
    [PublicEndpoint("Discovery metadata is public by design (OpenID Connect Discovery 1.0).")]
    [OpenApiOperation("Issuer metadata: issuer, jwks_uri, supported signing algorithms.", Response = typeof(OpenIdConfiguration))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest req)
    {
        var issuer = tokens.Issuer.TrimEnd('/');
        return new OkObjectResult(new OpenIdConfiguration(
            Issuer: issuer,
            JwksUri: issuer + "/.well-known/jwks.json",
            IdTokenSigningAlgValuesSupported: ["ES256", "RS256"],
            TokenEndpointAuthMethodsSupported: ["client_secret_post"],
            GrantTypesSupported: ["client_credentials", "refresh_token"]));
    }
}

public sealed record OpenIdConfiguration(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: System.Text.Json.Serialization.JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported);
