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

/// <summary>
/// The function reads its request body as a stream (a file upload) and enforces a size limit of its own, so the gate's
/// JSON body limit (<c>Http__MaxRequestBodyBytes</c>) does not apply to it; the server's default cap still does.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StreamedRequestBodyAttribute(string limitSetting) : Attribute
{
    /// <summary>The setting that holds the function's own limit (for the reader of the code and the docs).</summary>
    public string LimitSetting { get; } = limitSetting;
}
