using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Login;

/// <summary>
/// Patient tokens after an OTP: a short-lived access token for our API (<c>sub</c> = the ABHA number, role PATIENT,
/// audience <see cref="Audiences.PlatformApi"/>) and an opaque refresh token (<see cref="RefreshTokenValue"/>, never a
/// bearer token) rotated on every use with reuse detection (<see cref="RefreshTokenRotator"/>, the mechanism partner
/// sessions use): each login starts a family, each refresh replaces its token, and a replaced token presented again
/// revokes the family, so every outstanding token of that login stops working. A user token
/// (<see cref="UserSelectionAudience"/>, 5 minutes) proves a verified mobile OTP while the person picks one of
/// several ABHAs on that mobile.
/// </summary>
public sealed class PatientSessions(JwtIssuer issuer, JwtValidator validator, PatientSessionLifetimes lifetimes, IPatientRefreshStore refreshFamilies,
    TimeProvider time)
{
    public const string UserSelectionAudience = "ndhm-healthid-user";
    public const string RefreshTokenInvalid = "REFRESH_TOKEN_INVALID";

    private readonly RefreshTokenRotator rotator = new(refreshFamilies, time);

    /// <summary>A new login: an access token and the first refresh token of a new family.</summary>
    public async Task<PatientSessionTokens> IssueAsync(AbhaNumber number, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(number);
        var access = await IssueAccessAsync(number, ct).ConfigureAwait(false);
        var refresh = await rotator.StartAsync(number.Digits, binding: "", lifetimes.Refresh, ct).ConfigureAwait(false);
        return access with { RefreshToken = refresh.ToString() };
    }

    /// <summary>The family a refresh token names and the token parsed, or null for anything that names none.</summary>
    public async Task<(Versioned<RefreshFamily> Family, RefreshTokenValue Presented, AbhaNumber Number)?> FindRefreshAsync(string? token, CancellationToken ct)
    {
        if (!RefreshTokenValue.TryParse(token, out var presented)
            || await refreshFamilies.GetAsync(presented.FamilyId, ct).ConfigureAwait(false) is not { } family
            || !AbhaNumber.TryParse(family.Value.Owner, out var number))
            return null;
        return (family, presented, number);
    }

    /// <summary>
    /// Rotates <paramref name="presented"/>: new tokens when it is the family's current one and
    /// <paramref name="ownerValid"/>; a reuse revokes the family. The caller refuses anything but Rotate with
    /// <see cref="RefreshRefused"/>.
    /// </summary>
    public async Task<RefreshOutcome<PatientSessionTokens>> RefreshAsync(Versioned<RefreshFamily> family, RefreshTokenValue presented, AbhaNumber number,
        bool ownerValid, CancellationToken ct)
    {
        var outcome = await rotator.RefreshAsync(family, presented, _ => ownerValid, lifetimes.Refresh,
            c => IssueAccessAsync(number, c), ct).ConfigureAwait(false);
        return outcome.Verdict == RefreshVerdict.Rotate
            ? outcome with { Issued = outcome.Issued! with { RefreshToken = outcome.Next!.ToString() } }
            : outcome;
    }

    /// <summary>The one answer to every refused refresh token (unknown, expired, rotated, revoked, deleted ABHA).</summary>
    public static DomainException RefreshRefused() => Invalid(RefreshTokenInvalid);

    private async Task<PatientSessionTokens> IssueAccessAsync(AbhaNumber number, CancellationToken ct)
    {
        var access = await issuer.IssueAsync(new TokenRequest(number.Digits, Audiences.PlatformApi, [Roles.Patient], lifetimes.Access), ct)
            .ConfigureAwait(false);
        return new PatientSessionTokens(access.Token, lifetimes.Access, "", lifetimes.Refresh);
    }

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

    private static DomainException Invalid(string code) =>
        new(ErrorKind.Unauthenticated, code, "The token is not valid", "The token is missing, expired, or not for this use.");
}
