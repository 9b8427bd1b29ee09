namespace Ndhm.Triggers.Http;

/// <summary>What the OpenAPI document says about an HTTP function: a summary and its body shapes.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OpenApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    public Type? Request { get; init; }

    public Type? Response { get; init; }

    /// <summary>Status of a successful response (200 unless the endpoint accepts work for later, 202).</summary>
    public int SuccessStatus { get; init; } = 200;

    public string? Tag { get; init; }
}
