using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Sandbox;

/// <summary>
/// Sandbox only: a token for any subject and roles, signed exactly like production tokens (through the keys
/// endpoint), so developers and tests can call every endpoint before partner onboarding exists for them.
/// </summary>
public sealed class IssueSandboxToken(SandboxEnvironment sandbox, JwtIssuer issuer)
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    [Function(nameof(IssueSandboxToken))]
    [PublicEndpoint("Exists only in the local sandbox and only for loopback callers; 404 everywhere else.")]
    [OpenApiOperation("Sandbox only: issue an access token for any subject and roles.",
        Request = typeof(SandboxTokenRequest), Response = typeof(SandboxTokenResponse), Tag = "Sandbox")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sandbox/tokens")] HttpRequest req,
        CancellationToken ct)
    {
        sandbox.EnsureLocalSandbox(req);
        var body = await req.ReadJsonAsync<SandboxTokenRequest>(ct);
        var roles = Validate(body);
        var lifetime = TimeSpan.FromMinutes(body.LifetimeMinutes ?? 60);
        // A health worker's facility, as a real identity provider would assert it (document reviewers need one).
        var extra = new Dictionary<string, object?>();
        if (!string.IsNullOrWhiteSpace(body.FacilityId)) extra["facilityId"] = body.FacilityId.Trim();
        // A doctor's token, as the HPR login would assert it: teleconsultation endpoints act for this HPR id.
        if (!string.IsNullOrWhiteSpace(body.HprId)) extra["hprId"] = body.HprId.Trim();
        var token = await issuer.IssueAsync(new TokenRequest(body.Subject!, Audiences.PlatformApi, roles, lifetime, extra.Count == 0 ? null : extra), ct);
        return new OkObjectResult(new SandboxTokenResponse(token.Token, "bearer", (int)lifetime.TotalSeconds, roles));
    }

    private static IReadOnlyList<string> Validate(SandboxTokenRequest body)
    {
        if (string.IsNullOrWhiteSpace(body.Subject) || body.Subject.Length > 128)
        {
            throw Invalid("subject is required (at most 128 characters).");
        }

        var roles = body.Roles ?? [];
        var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
        if (roles.Count == 0 || unknown.Count > 0)
        {
            throw Invalid($"roles must be one or more of {string.Join(", ", Roles.All)}" +
                          (unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "") + ".");
        }

        if (body.LifetimeMinutes is { } minutes && (minutes < 1 || TimeSpan.FromMinutes(minutes) > MaxLifetime))
        {
            throw Invalid($"lifetimeMinutes must be between 1 and {MaxLifetime.TotalMinutes}.");
        }

        if (body.FacilityId is { Length: > 64 })
        {
            throw Invalid("facilityId is at most 64 characters.");
        }

        if (body.HprId is { } hprId && !Ndhm.Registry.Professionals.HprId.TryParse(hprId.Trim(), out _))
        {
            throw Invalid("hprId must be an HPR id (14 digits).");
        }

        return roles.Distinct().ToList();
    }

    private static DomainException Invalid(string detail) =>
        new(ErrorKind.Validation, ErrorCodes.InvalidRequest, "The token request is invalid.", detail);
}

/// <param name="FacilityId">Optional: written as the <c>facilityId</c> claim (the health worker's facility).</param>
/// <param name="HprId">Optional: written as the <c>hprId</c> claim (a doctor's token, with role TELECONSULT, for the teleconsultation endpoints).</param>
public sealed record SandboxTokenRequest(string? Subject, IReadOnlyList<string>? Roles, int? LifetimeMinutes, string? FacilityId = null, string? HprId = null);

public sealed record SandboxTokenResponse(string AccessToken, string TokenType, int ExpiresIn, IReadOnlyList<string> Roles);
