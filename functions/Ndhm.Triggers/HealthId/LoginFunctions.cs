using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// Finds accounts by number or address. A lookup by number reads the account (one point read). A lookup by address
/// for verification reads only the address claim, which carries the holder's <see cref="AbhaLookupView"/> (one
/// point read); <see cref="FindAsync"/>, for flows that need the whole account (login), reads the claim and then
/// the account (two).
/// </summary>
public sealed class AbhaAccountLookup(CosmosAbhaAccountStore accounts, CosmosIdentityClaims claims, AbhaAddressOptions addressOptions)
{
    public async Task<Stored<AbhaAccount>?> FindAsync(string numberOrAddress, CancellationToken ct)
    {
        var key = numberOrAddress.Trim();
        if (IsAddress(key))
        {
            var holder = await claims.FindAddressHolderAsync(AbhaAddress.Parse(key, addressOptions.Suffix), ct);
            return holder is null ? null : await accounts.FindAsync(holder, ct);
        }

        return await accounts.FindAsync(AbhaNumber.Parse(key), ct);
    }

    /// <summary>What a verifier may see of the account with this number or address, or null when there is none.</summary>
    public async Task<AbhaLookupView?> FindViewAsync(string numberOrAddress, CancellationToken ct)
    {
        var key = numberOrAddress.Trim();
        if (!IsAddress(key))
            return (await accounts.FindAsync(AbhaNumber.Parse(key), ct))?.Document.ToLookupView();

        var claim = await claims.FindAddressClaimAsync(AbhaAddress.Parse(key, addressOptions.Suffix), ct);
        if (claim is null) return null;
        if (claim.View is not null) return claim.View;
        // A claim written before claims carried views: resolved through its account (a second point read) until the
        // account next changes, which writes the view into all its claims.
        return (await accounts.FindAsync(AbhaNumber.Parse(claim.AbhaNumber), ct))?.Document.ToLookupView();
    }

    public async Task<Stored<AbhaAccount>> RequireAsync(AbhaNumber number, CancellationToken ct) =>
        await accounts.FindAsync(number, ct) ?? throw NotFound();

    public static DomainException NotFound() => HealthIdErrors.AbhaNotFound();

    private static bool IsAddress(string key) => key.Contains('@', StringComparison.Ordinal) || key.Any(char.IsLetter);
}

public sealed class RequestLoginOtp(AbhaAccountLookup lookup, CosmosAbhaAccountStore accounts, IIdentityHasher hasher, OtpService otp,
    SensitiveFields fields)
{
    [Function(nameof(RequestLoginOtp))]
    [PublicEndpoint("Login starts here: the OTP to the account's mobile authenticates the person.")]
    [OpenApiOperation("Send a login OTP (loginHint abha-number, abha-address or mobile) to the account's verified mobile.",
        Request = typeof(OtpRequest), Response = typeof(OtpRequestResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/request/otp")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<OtpRequest>(ct);
        var hint = HealthIdHttp.Require(body.LoginHint, "loginHint").ToLowerInvariant();
        var loginId = await fields.LoginIdAsync(body, ct);
        OtpIssued issued;
        if (hint == "mobile")
        {
            var mobile = MobileNumber.Parse(loginId);
            if (!string.IsNullOrWhiteSpace(body.TxnId))
                issued = await otp.ResendAsync(body.TxnId, OtpPurpose.Login, mobile, ct);
            else
            {
                var linked = await accounts.FindByMobileHashAsync(await hasher.HashMobileAsync(mobile, ct), ct);
                if (linked.Count == 0) throw AbhaAccountLookup.NotFound();
                issued = await otp.RequestAsync(OtpPurpose.Login, mobile, null, null, ct);
            }
        }
        else if (hint is "abha-number" or "abha-address")
        {
            var stored = await lookup.FindAsync(loginId, ct) ?? throw AbhaAccountLookup.NotFound();
            var account = stored.Document;
            if (account.Status == AbhaStatus.Deleted)
                throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
            if (account.Mobile is null || !account.MobileVerified)
                throw new DomainException(ErrorKind.Conflict, HealthIdErrors.MobileNotLinked, "No verified mobile",
                    "This ABHA has no verified mobile to send a login OTP to.");
            issued = string.IsNullOrWhiteSpace(body.TxnId)
                ? await otp.RequestAsync(OtpPurpose.Login, account.Mobile, account.MobileHash, account.AbhaNumber, ct)
                : await otp.ResendAsync(body.TxnId, OtpPurpose.Login, account.Mobile, account.AbhaNumber, targetHash: null, ct);
        }
        else
        {
            throw HealthIdHttp.Invalid(ErrorCodes.InvalidRequest, "loginHint must be abha-number, abha-address or mobile.");
        }

        return new OkObjectResult(new OtpRequestResponse(issued.TxnId, issued.Message, issued.ExpiresAt));
    }
}

public sealed class VerifyLoginOtp(OtpService otp, CosmosAbhaAccountStore accounts, PatientSessions sessions, SensitiveFields fields)
{
    [Function(nameof(VerifyLoginOtp))]
    [PublicEndpoint("Authenticated by the login OTP in the body.")]
    [OpenApiOperation("Verify a login OTP: patient tokens, or (a mobile with several ABHAs) the accounts and a user token to pick one.",
        Request = typeof(LoginVerifyRequest), Response = typeof(LoginResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/verify")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LoginVerifyRequest>(ct);
        var code = await fields.OtpAsync(body.AuthData, ct);
        var txn = await otp.VerifyAsync(code.TxnId!, OtpPurpose.Login, code.OtpValue!.Trim(), ct);
        if (txn.AbhaNumber is { } number)
            return new OkObjectResult(await LoginAsync(accounts, sessions, number, ct));

        var linked = await accounts.FindByMobileHashAsync(txn.DestinationHash, ct);
        if (linked.Count == 1)
            return new OkObjectResult(await LoginAsync(accounts, sessions, linked[0], ct));
        var list = new List<LinkedAccount>();
        foreach (var n in linked)
        {
            if (await accounts.FindAsync(n, ct) is { } s)
                list.Add(new LinkedAccount(n.Formatted, s.Document.Name?.FullName, s.Document.PreferredAbhaAddress?.Value));
        }

        return new OkObjectResult(new LoginResponse("Several ABHAs use this mobile; pick one.", null, null, list,
            await sessions.IssueUserTokenAsync(txn.DestinationHash, ct)));
    }

    internal static async Task<LoginResponse> LoginAsync(CosmosAbhaAccountStore accounts, PatientSessions sessions,
        AbhaNumber number, CancellationToken ct)
    {
        var account = (await accounts.FindAsync(number, ct) ?? throw AbhaAccountLookup.NotFound()).Document;
        if (account.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
        return new LoginResponse("Login successful", await sessions.IssueAsync(number, ct), account.ToProfile(), null, null);
    }
}

public sealed class SelectLoginAccount(CosmosAbhaAccountStore accounts, PatientSessions sessions)
{
    [Function(nameof(SelectLoginAccount))]
    [PublicEndpoint("Authenticated by the user token from a verified mobile login OTP.")]
    [OpenApiOperation("Log in to one of the ABHAs on a verified mobile.",
        Request = typeof(LoginSelectRequest), Response = typeof(LoginResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/verify/user")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<LoginSelectRequest>(ct);
        var mobileHash = await sessions.ValidateUserTokenAsync(body.UserToken, ct);
        var number = AbhaNumber.Parse(HealthIdHttp.Require(body.AbhaNumber, "abhaNumber"));
        var stored = await accounts.FindAsync(number, ct);
        if (stored is null || !string.Equals(stored.Document.MobileHash, mobileHash, StringComparison.Ordinal))
            throw AbhaAccountLookup.NotFound();
        return new OkObjectResult(await VerifyLoginOtp.LoginAsync(accounts, sessions, number, ct));
    }
}

public sealed class RefreshPatientToken(CosmosAbhaAccountStore accounts, PatientSessions sessions)
{
    [Function(nameof(RefreshPatientToken))]
    [PublicEndpoint("Authenticated by the refresh token in the body (its audience is not the API's).")]
    [OpenApiOperation("Exchange a refresh token for new patient tokens (refused once the ABHA is deleted).",
        Request = typeof(RefreshRequest), Response = typeof(PatientTokens), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/profile/login/refresh")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<RefreshRequest>(ct);
        var number = await sessions.ValidateRefreshAsync(body.RefreshToken, ct);
        var account = await accounts.FindAsync(number, ct);
        if (account is null || account.Document.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Unauthenticated, "REFRESH_TOKEN_INVALID", "The token is not valid",
                "The ABHA this token was issued for no longer exists.");
        return new OkObjectResult(await sessions.IssueAsync(number, ct));
    }
}
