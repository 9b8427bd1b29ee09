using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>What a users/auth access token grants: this partner, as this HIP (or HIU), may act for this patient.</summary>
public sealed record PatientAuthGrant(AbhaNumber AbhaNumber, string PatientId, string PartnerId, RequesterType RequesterType, string RequesterId,
    AuthPurpose Purpose, string TransactionId, DateTimeOffset ExpiresAt);

/// <summary>
/// The <c>accessToken</c> of users/auth/on-confirm (purposes LINK and KYC_AND_LINK): an ES256 JWT from the
/// platform's issuer, audience <see cref="Audience"/> (so it is never accepted as an API bearer token), lifetime
/// <c>Abdm__AuthAccessTokenLifetime</c>. Claims: <c>sub</c> = the ABHA number (14 digits), <c>abha_address</c> = the
/// patient id the partner authenticated, <c>partner_id</c> = the partner's client id, <c>requester_type</c> =
/// <c>HIP</c>|<c>HIU</c>, <c>requester_id</c> = the facility id (HIP) or HIU id, <c>purpose</c>, <c>txn</c> = the
/// transactionId. <see cref="ValidateAsync"/> is how an endpoint (links/link/add-contexts) accepts one.
/// </summary>
public sealed class PartnerAuthTokens(JwtIssuer issuer, JwtValidator validator, AbdmSettings settings)
{
    public const string Audience = "ndhm-patient-auth";
    public const string AbhaAddressClaim = "abha_address";
    public const string PartnerIdClaim = "partner_id";
    public const string RequesterTypeClaim = "requester_type";
    public const string RequesterIdClaim = "requester_id";
    public const string PurposeClaim = "purpose";
    public const string TransactionClaim = "txn";

    public async Task<IssuedToken> IssueAsync(PartnerAuthTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var claims = new Dictionary<string, object?>
        {
            [AbhaAddressClaim] = transaction.PatientId,
            [PartnerIdClaim] = transaction.PartnerId,
            [RequesterTypeClaim] = transaction.RequesterType == RequesterType.Hip ? "HIP" : "HIU",
            [RequesterIdClaim] = transaction.RequesterId,
            [PurposeClaim] = transaction.Purpose switch { AuthPurpose.Link => "LINK", AuthPurpose.Kyc => "KYC", _ => "KYC_AND_LINK" },
            [TransactionClaim] = transaction.TransactionId,
        };
        return await issuer.IssueAsync(new TokenRequest(transaction.AbhaNumber.Digits, Audience, [], settings.AuthAccessTokenLifetime, claims), ct)
            .ConfigureAwait(false);
    }

    /// <summary>The grant of a valid, unexpired token; ABDM-1066 (<c>INVALID_LINK_TOKEN</c>... here <c>INVALID_ACCESS_TOKEN</c>) otherwise.</summary>
    public async Task<PatientAuthGrant> ValidateAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) throw Invalid();
        Ndhm.Core.Security.CallerIdentity identity;
        try
        {
            identity = await validator.ValidateAsync(token.Trim(), Audience, ct).ConfigureAwait(false);
        }
        catch (DomainException e) when (e.Kind is ErrorKind.Unauthenticated or ErrorKind.Validation)
        {
            throw Invalid();
        }

        var claims = identity.Claims;
        if (!AbhaNumber.TryParse(identity.Subject, out var number)
            || !claims.TryGetValue(AbhaAddressClaim, out var address) || !claims.TryGetValue(PartnerIdClaim, out var partner)
            || !claims.TryGetValue(RequesterTypeClaim, out var type) || !claims.TryGetValue(RequesterIdClaim, out var requester)
            || !claims.TryGetValue(PurposeClaim, out var purpose) || !claims.TryGetValue(TransactionClaim, out var txn))
        {
            throw Invalid();
        }

        return new PatientAuthGrant(number, address, partner, type == "HIP" ? RequesterType.Hip : RequesterType.Hiu, requester,
            purpose switch { "LINK" => AuthPurpose.Link, "KYC" => AuthPurpose.Kyc, _ => AuthPurpose.KycAndLink }, txn, identity.ExpiresAt);
    }

    public const string InvalidAccessToken = "INVALID_ACCESS_TOKEN";

    private static DomainException Invalid() =>
        AbdmErrors.Error(ErrorKind.Unauthenticated, AbdmErrors.InvalidToken, InvalidAccessToken, "Invalid or expired access token",
            "Authenticate the patient again with users/auth/init and confirm.");
}
