using Microsoft.AspNetCore.Http;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// Patient tokens after an OTP: a short-lived access token for our API (<c>sub</c> = the ABHA number, role PATIENT,
/// audience <see cref="Audiences.PlatformApi"/>) and a refresh token for <see cref="RefreshAudience"/> only, which
/// the HTTP gate never accepts as a bearer token. A user token (<see cref="UserSelectionAudience"/>, 5 minutes)
/// proves a verified mobile OTP while the person picks one of several ABHAs on that mobile.
/// </summary>
public sealed class PatientSessions(JwtIssuer issuer, JwtValidator validator, HealthIdSettings settings)
{
    public const string RefreshAudience = "ndhm-healthid-refresh";
    public const string UserSelectionAudience = "ndhm-healthid-user";

    public async Task<PatientTokens> IssueAsync(AbhaNumber number, CancellationToken ct)
    {
        var access = await issuer.IssueAsync(new TokenRequest(number.Digits, Audiences.PlatformApi, [Roles.Patient],
            settings.PatientTokenLifetime), ct);
        var refresh = await issuer.IssueAsync(new TokenRequest(number.Digits, RefreshAudience, [Roles.Patient],
            settings.RefreshTokenLifetime), ct);
        return new PatientTokens(access.Token, (int)settings.PatientTokenLifetime.TotalSeconds, refresh.Token,
            (int)settings.RefreshTokenLifetime.TotalSeconds);
    }

    /// <summary>The ABHA number a refresh token was issued for, or REFRESH_TOKEN_INVALID (401).</summary>
    public Task<AbhaNumber> ValidateRefreshAsync(string? token, CancellationToken ct) =>
        ValidateAsync(token, RefreshAudience, "REFRESH_TOKEN_INVALID", ct);

    public async Task<string> IssueUserTokenAsync(string mobileHash, CancellationToken ct) =>
        (await issuer.IssueAsync(new TokenRequest(mobileHash, UserSelectionAudience, [Roles.Patient], TimeSpan.FromMinutes(5)), ct)).Token;

    /// <summary>The mobile hash a user token proves, or USER_TOKEN_INVALID (401).</summary>
    public async Task<string> ValidateUserTokenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) throw Invalid("USER_TOKEN_INVALID");
        try
        {
            return (await validator.ValidateAsync(token, UserSelectionAudience, ct)).Subject;
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
            var caller = await validator.ValidateAsync(token, audience, ct);
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

/// <summary>Small shared steps of the Health ID functions.</summary>
public static class HealthIdHttp
{
    /// <summary>The ABHA number of a PATIENT caller (the token's <c>sub</c>).</summary>
    public static AbhaNumber PatientNumber(CallerIdentity caller) =>
        AbhaNumber.TryParse(caller.Subject, out var number)
            ? number
            : throw new DomainException(ErrorKind.Forbidden, ErrorCodes.Forbidden, "Not a patient token",
                "The token's subject is not an ABHA number.");

    public static DomainException Invalid(string code, string detail) =>
        new(ErrorKind.Validation, code, "The request is invalid", detail);

    public static string Require(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(ErrorCodes.InvalidRequest, $"{field} is required.") : value.Trim();

    /// <summary>
    /// ABDM's scope for the confirmation OTP: <c>abha-profile</c> with <c>de-activate</c> (deactivation) or
    /// <c>delete</c> (deletion), and nothing else.
    /// </summary>
    public static OtpPurpose ConfirmationPurpose(IReadOnlyList<string>? scope)
    {
        var given = (scope ?? []).Select(s => s?.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        return given switch
        {
            ["abha-profile", "de-activate"] => OtpPurpose.AccountDeactivation,
            ["abha-profile", "delete"] => OtpPurpose.AccountDeletion,
            _ => throw Invalid(ErrorCodes.InvalidRequest, "scope must be [\"abha-profile\", \"de-activate\"] or [\"abha-profile\", \"delete\"]."),
        };
    }

    public static void RequireConsent(EnrolmentConsent? consent)
    {
        if (consent is null || !string.Equals(consent.Code, "abha-enrollment", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(consent.Version))
            throw Invalid("CONSENT_REQUIRED", "consent with code abha-enrollment and a version is required to enrol.");
    }

    public static DateOfBirth? BirthDate(int? year, int? month, int? day, TimeProvider time, bool required)
    {
        if (year is null)
            return required || month is not null || day is not null
                ? throw Invalid("DOB_INVALID", "yearOfBirth is required.")
                : null;
        return DateOfBirth.Create(year.Value, month, day, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }

    public static PostalAddress? Address(string? line, string? district, string? state, string? pinCode) =>
        line is null && district is null && state is null && pinCode is null
            ? null
            : PostalAddress.Create(line, district, state, pinCode);
}
