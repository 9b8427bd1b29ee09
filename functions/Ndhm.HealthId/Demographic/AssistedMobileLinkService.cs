using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Demographic;

/// <summary>
/// Lets a person enrolled without a verified mobile (a camp's demographic enrolment, Aadhaar biometrics) use their ABHA:
/// a health worker of a verified, active facility links a mobile the person holds, with the worker's attestation that they
/// identified the person, proven by an OTP to that mobile (the person reads it out). From then on the person logs in by
/// mobile, ABHA number or address OTP like everyone else (ABDM's mobile OTP login mode). Only for an active account with no
/// verified mobile: an account whose holder already proved a mobile changes it through their own login
/// (<c>v3/profile/account/mobile/...</c>), never through a worker. Audited <see cref="Action"/> on the patient's chain
/// (the worker as actor, the attestation method as outcome) before the change.
/// </summary>
public sealed class AssistedMobileLinkService(IAbhaAccountStore accounts, AbhaAccountService changes, OtpService otp, IFacilityStanding facilities,
    IIdentityHasher hasher, HealthIdAudit audit)
{
    public const string Action = "mobile.link.assisted";
    public const string MobileAlreadyVerified = "MOBILE_ALREADY_VERIFIED";

    /// <summary>Sends the OTP to <paramref name="mobile"/> for linking it to <paramref name="number"/>.</summary>
    public async Task<OtpIssued> RequestOtpAsync(AssistedEnrolment worker, AbhaNumber number, MobileNumber mobile, CancellationToken ct)
    {
        await RequireVerifiedFacilityAsync(worker, ct).ConfigureAwait(false);
        await RequireLinkableAsync(number, ct).ConfigureAwait(false);
        return await changes.RequestMobileChangeOtpAsync(number, mobile, ct).ConfigureAwait(false);
    }

    /// <summary>Verifies the OTP (a transaction of this account and this mobile) and makes the mobile the account's verified one.</summary>
    public async Task<AbhaAccount> LinkAsync(AssistedEnrolment worker, AbhaNumber number, MobileNumber mobile, string txnId, string otpValue,
        OfflineAttestation? attestation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await RequireVerifiedFacilityAsync(worker, ct).ConfigureAwait(false);
        if (attestation is not { Attested: true })
            throw new DomainException(ErrorKind.Validation, DemographicErrors.AttestationMissing, "Attestation missing",
                "attestation.attested must be true: the worker attests that they identified the person whose mobile this is.");
        var method = DemographicErrors.ParseMethod(attestation.Method);
        await RequireLinkableAsync(number, ct).ConfigureAwait(false);
        var mobileHash = await hasher.HashMobileAsync(mobile, ct).ConfigureAwait(false);
        var txn = await otp.VerifyAsync(txnId, OtpPurpose.MobileUpdate, otpValue, number, ct).ConfigureAwait(false);
        if (!string.Equals(txn.DestinationHash, mobileHash, StringComparison.Ordinal))
            throw OtpErrors.TxnNotFound();
        await audit.RecordPatientAsync(number, Action, method.ToString(), ct).ConfigureAwait(false);
        return await changes.ChangeMobileAsync(number, mobile, mobileHash, ct).ConfigureAwait(false);
    }

    private async Task RequireVerifiedFacilityAsync(AssistedEnrolment worker, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(worker.FacilityId) || !await facilities.IsVerifiedAndActiveAsync(worker.FacilityId, ct).ConfigureAwait(false))
            throw new DomainException(ErrorKind.Forbidden, DocumentErrors.FacilityNotVerified, "Facility not verified",
                "Linking a mobile for a person is done by health workers of a verified, active facility (the token's facilityId claim).");
    }

    private async Task RequireLinkableAsync(AbhaNumber number, CancellationToken ct)
    {
        var found = await accounts.FindAsync(number, ct).ConfigureAwait(false)
            ?? throw HealthIdErrors.AbhaNotFound();
        var account = found.Value;
        if (account.Status != AbhaStatus.Active)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountStateInvalid, "Account is not active",
                "Only an active ABHA can link a mobile.");
        if (account.MobileVerified)
            throw new DomainException(ErrorKind.Conflict, MobileAlreadyVerified, "The ABHA has a verified mobile",
                "This ABHA already has a verified mobile: its holder logs in with it and changes it themselves.");
    }
}
