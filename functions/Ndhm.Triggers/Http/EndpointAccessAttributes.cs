namespace Ndhm.Triggers.Http;

/// <summary>The caller must present a valid platform bearer token carrying at least one of these roles.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequireRolesAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>
/// The endpoint is open to anyone (health, JWKS, OpenAPI, token requests that authenticate by their body).
/// Declaring it is mandatory: an HTTP function with neither attribute fails the catalog check, so no endpoint
/// is left open by omission.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PublicEndpointAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}
