using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Login;

/// <summary>
/// Patient tokens after an OTP: a short-lived access token for our API (<c>sub</c> = the ABHA number, role PATIENT,
/// audience <see cref="Audiences.PlatformApi"/>) and a refresh token for <see cref="RefreshAudience"/> only, which
/// the HTTP gate never accepts as a bearer token. A user token (<see cref="UserSelectionAudience"/>, 5 minutes)
/// proves a verified mobile OTP while the person picks one of several ABHAs on that mobile.
/// </summary>
public sealed class PatientSessions(JwtIssuer issuer, JwtValidator validator, PatientSessionLifetimes lifetimes)
{
    public const string RefreshAudience = "ndhm-healthid-refresh";
    public const string UserSelectionAudience = "ndhm-healthid-user";

    public async Task<PatientSessionTokens> IssueAsync(AbhaNumber number, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(number);
        var access = await issuer.IssueAsync(new TokenRequest(number.Digits, Audiences.PlatformApi, [Roles.Patient],
            lifetimes.Access), ct).ConfigureAwait(false);
        var refresh = await issuer.IssueAsync(new TokenRequest(number.Digits, RefreshAudience, [Roles.Patient],
            lifetimes.Refresh), ct).ConfigureAwait(false);
        return new PatientSessionTokens(access.Token, lifetimes.Access, refresh.Token, lifetimes.Refresh);
    }

    /// <summary>The ABHA number a refresh token was issued for, or REFRESH_TOKEN_INVALID (401).</summary>
    public Task<AbhaNumber> ValidateRefreshAsync(string? token, CancellationToken ct) =>
        ValidateAsync(token, RefreshAudience, "REFRESH_TOKEN_INVALID", ct);

    public async Task<string> IssueUserTokenAsync(string mobileHash, CancellationToken ct) =>
        (await issuer.IssueAsync(new TokenRequest(mobileHash, UserSelectionAudience, [Roles.Patient], TimeSpan.FromMinutes(5)), ct)
            .ConfigureAwait(false)).Token;

    /// <summary>The mobile hash a user token proves, or USER_TOKEN_INVALID (401).</summary>
    public async Task<string> ValidateUserTokenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) throw Invalid("USER_TOKEN_INVALID");
        try
        {
            return (await validator.ValidateAsync(token, UserSelectionAudience, ct).ConfigureAwait(false)).Subject;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Unauthenticated)
        {
            throw Invalid("USER_TOKEN_INVALID");
        }
    }

    private async Task<AbhaNumber> ValidateAsync(string? token, string audience, string code, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) throw Invalid(code);
        try
        {
            var caller = await validator.ValidateAsync(token, audience, ct).ConfigureAwait(false);
            return AbhaNumber.TryParse(caller.Subject, out var number) ? number : throw Invalid(code);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Unauthenticated)
        {
            throw Invalid(code);
        }
    }

    private static DomainException Invalid(string code) =>
        new(ErrorKind.Unauthenticated, code, "The token is not valid", "The token is missing, expired, or not for this use.");
}
