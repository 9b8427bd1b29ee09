using Ndhm.Core.Errors;
using Ndhm.Core.Security;

namespace Ndhm.Core.Partners;

/// <summary>Whether a validated caller may still use its token, beyond signature and expiry.</summary>
public interface IPartnerSessionCheck
{
    /// <summary>Throws an Unauthenticated <see cref="ErrorCodes.PartnerInactive"/> error when the caller's partner is gone.</summary>
    Task EnsureCurrentAsync(CallerIdentity caller, CancellationToken ct);
}

/// <summary>
/// A partner-session token (one with <c>client_id</c>) is good only while its partner is active, so a deactivation cuts
/// the partner off within the directory's cache time (at once on the instance that deactivated it) instead of when its
/// last token expires. Tokens without the claim (platform, patient, sandbox) are not partner sessions and pass. A new
/// client secret does not end issued access tokens: rotation is routine, and they run out within their 20 minutes.
/// </summary>
public sealed class PartnerSessionCheck(IPartnerDirectory directory) : IPartnerSessionCheck
{
    public async Task EnsureCurrentAsync(CallerIdentity caller, CancellationToken ct)
    {
        if (caller.ClientId is not { } clientId)
        {
            return;
        }

        if (await directory.FindAsync(clientId, ct) is not { Active: true })
        {
            throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.PartnerInactive, "The partner is not active.",
                "This token's client is deactivated or unknown; its tokens are no longer accepted.");
        }
    }
}
