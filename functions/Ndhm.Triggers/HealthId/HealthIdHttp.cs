using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Login;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.Triggers.HealthId;

/// <summary>Small shared steps of the Health ID functions: reading request fields and mapping results to responses.</summary>
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

    public static string Require(string? value, string field) => HealthIdErrors.Required(value, field);

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

    /// <summary>
    /// The consent the person accepted: code <c>abha-enrollment</c> and a version (CONSENT_REQUIRED), of a text that
    /// exists in that language (CONSENT_VERSION_UNKNOWN, CONSENT_LANGUAGE_UNKNOWN; English when none is named).
    /// </summary>
    public static AcceptedConsent RequireConsent(EnrolmentConsent? consent, TimeProvider time) =>
        EnrolmentConsentCatalogue.Embedded.Accept(consent?.Code, consent?.Version, consent?.Language, time.GetUtcNow());

    public static DateOfBirth? BirthDate(int? year, int? month, int? day, TimeProvider time, bool required)
    {
        if (year is null)
            return required || month is not null || day is not null
                ? throw Invalid("DOB_INVALID", "yearOfBirth is required.")
                : null;
        return DateOfBirth.Create(year.Value, month, day, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }

    /// <summary>ABDM's <c>dob</c> as <c>yyyy-MM-dd</c> (required), checked like every birth date (DOB_INVALID).</summary>
    public static DateOfBirth IsoBirthDate(string? dob, TimeProvider time)
    {
        if (!DateOnly.TryParseExact(dob?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date))
            throw Invalid("DOB_INVALID", "dob is required as yyyy-MM-dd, as printed on the document.");
        return DateOfBirth.Create(date.Year, date.Month, date.Day, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }

    public static PostalAddress? Address(string? line, string? district, string? state, string? pinCode) =>
        line is null && district is null && state is null && pinCode is null
            ? null
            : PostalAddress.Create(line, district, state, pinCode);

    public static OtpRequestResponse OtpResponse(OtpIssued issued) => new(issued.TxnId, issued.Message, issued.ExpiresAt);

    public static PatientTokens Tokens(PatientSessionTokens tokens) =>
        new(tokens.AccessToken, (int)tokens.AccessLifetime.TotalSeconds, tokens.RefreshToken, (int)tokens.RefreshLifetime.TotalSeconds);

    public static LoginResponse Login(LoginOutcome outcome) =>
        outcome is { Account: { } account, Tokens: { } tokens }
            ? new LoginResponse("Login successful", Tokens(tokens), account.ToProfile(), null, null)
            : new LoginResponse("Several ABHAs use this mobile; pick one.", null, null,
                (outcome.LinkedAccounts ?? []).Select(a => new LinkedAccount(a.AbhaNumber.Formatted, a.Name?.FullName,
                    a.PreferredAbhaAddress?.Value)).ToList(),
                outcome.UserToken);
}
