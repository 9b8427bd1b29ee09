using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Enrolment;

/// <summary>The enrolled (or already existing) account; ABDM tells an existing holder apart with <c>isNew</c>.</summary>
public sealed record EnrolmentResult(AbhaAccount Account, bool IsNew);

/// <summary>Self-declared details for a mobile-only enrolment (already checked by their value types).</summary>
public sealed record MobileEnrolmentDetails(MobileNumber Mobile, PersonName Name, Gender Gender, DateOfBirth DateOfBirth)
{
    public string? Email { get; init; }
    public PostalAddress? Address { get; init; }
    public AssistedEnrolment? AssistedBy { get; init; }
    public AcceptedConsent? Consent { get; init; }
}

/// <summary>
/// Enrolment by Aadhaar (ABDM <c>enrol/byAadhaar</c>), ABHA address creation (<c>enrol/abha-address</c>) and
/// mobile-only enrolment, over the ports. Later changes to the account are <see cref="AbhaAccountService"/>'s.
/// Each is recorded on the patient's audit chain before the account is written (<see cref="EnrolAction"/> with outcome
/// <c>created</c>, or <c>existing</c> when the Aadhaar already holds an ABHA; <see cref="AddressCreateAction"/>); the
/// actor is the assisting health worker when there is one, else the patient the OTP proved. An audit write that
/// fails fails the step, which can be repeated (a claim without its account is finished by the next attempt).
/// </summary>
public sealed class AbhaEnrolmentService(
    IAadhaarKyc kyc,
    OtpService otp,
    AbhaNumberAllocator allocator,
    IAbhaAccountStore accounts,
    IIdentityClaims claims,
    IIdentityHasher hasher,
    AbhaAddressOptions addressOptions,
    TimeProvider time,
    HealthIdAudit audit)
{
    public const string EnrolAction = "abha.enrol";
    public const string AddressCreateAction = "address.create";

    /// <summary>
    /// Verifies the Aadhaar OTP, and either returns the account that already holds this Aadhaar (IsNew false) or
    /// opens a new Aadhaar-verified one with a fresh random number and the registered mobile (verified by the OTP).
    /// </summary>
    public Task<EnrolmentResult> EnrolByAadhaarAsync(string txnId, string otp, AssistedEnrolment? assistedBy,
        CancellationToken ct) => EnrolByAadhaarAsync(txnId, otp, assistedBy, consent: null, ct);

    /// <summary>As above, recording the consent text the person accepted on a new account.</summary>
    public async Task<EnrolmentResult> EnrolByAadhaarAsync(string txnId, string otp, AssistedEnrolment? assistedBy,
        AcceptedConsent? consent, CancellationToken ct)
    {
        var verified = await kyc.VerifyOtpAsync(txnId, otp, ct).ConfigureAwait(false);
        return await EnrolVerifiedKycAsync(verified, mobileVerified: true, assistedBy, consent, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The Aadhaar-verified enrolment once UIDAI released the KYC (by OTP or biometrics): the existing account of this
    /// Aadhaar (IsNew false) or a new one. <paramref name="mobileVerified"/>: whether the registered mobile was proven
    /// (an OTP to it); a biometric enrolment records the mobile unverified.
    /// </summary>
    public async Task<EnrolmentResult> EnrolVerifiedKycAsync(VerifiedKyc verified, bool mobileVerified, AssistedEnrolment? assistedBy,
        AcceptedConsent? consent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(verified);
        var holder = await claims.FindAadhaarHolderAsync(verified.AadhaarHash, ct).ConfigureAwait(false);
        if (holder is not null)
        {
            var existing = await accounts.FindAsync(holder, ct).ConfigureAwait(false);
            if (existing is { Value.Status: not AbhaStatus.Deleted })
            {
                await audit.RecordPatientAsync(existing.Value.AbhaNumber, EnrolAction, "existing", ct).ConfigureAwait(false);
                return new EnrolmentResult(existing.Value, IsNew: false);
            }
            if (existing is not null)
            {
                // Erased, but the claim outlived it (EraseAsync stopped before releasing): the number stays retired.
                await claims.ReleaseAadhaarAsync(verified.AadhaarHash, ct).ConfigureAwait(false);
                holder = null;
            }
            // No account at all: an earlier enrolment stopped between claim and create; its number was never
            // issued to anyone, so finish the job with it.
        }

        var number = holder ?? await allocator.AllocateAsync(ct).ConfigureAwait(false);
        var owner = await claims.ClaimAadhaarAsync(verified.AadhaarHash, number, ct).ConfigureAwait(false);
        if (owner != number)
        {
            // Someone enrolled the same Aadhaar at the same moment.
            var raced = await accounts.FindAsync(owner, ct).ConfigureAwait(false);
            if (raced is { Value.Status: not AbhaStatus.Deleted })
            {
                await audit.RecordPatientAsync(raced.Value.AbhaNumber, EnrolAction, "existing", ct).ConfigureAwait(false);
                return new EnrolmentResult(raced.Value, IsNew: false);
            }
            throw new DomainException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "Enrolment in progress",
                "Another enrolment with this Aadhaar is in progress; try again in a moment.") { RetryAfterSeconds = 2 };
        }

        var r = verified.Record;
        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = number,
            Name = r.Name,
            Gender = r.Gender,
            DateOfBirth = r.DateOfBirth,
            KycStatus = KycStatus.Verified,
            AadhaarHash = verified.AadhaarHash,
            Mobile = r.Mobile,
            MobileHash = await hasher.HashMobileAsync(r.Mobile, ct).ConfigureAwait(false),
            MobileVerified = mobileVerified,
            Address = r.Address,
            AssistedBy = assistedBy,
            LocalName = r.LocalName,
            Photo = r.Photo,
            Consent = consent,
        }, time);
        await audit.RecordPatientAsync(number, EnrolAction, "created", ct).ConfigureAwait(false);
        await accounts.CreateAsync(account, ct).ConfigureAwait(false);
        return new EnrolmentResult(account, IsNew: true);
    }

    /// <summary>
    /// Opens a mobile-only (KYC UNVERIFIED) account with self-declared demographics, spending a MobileEnrolment
    /// transaction that was verified with an OTP sent to <see cref="MobileEnrolmentDetails.Mobile"/>. No
    /// deduplication: ABDM lets one mobile carry several ABHAs (a family sharing a phone).
    /// </summary>
    public async Task<AbhaAccount> EnrolByMobileAsync(string txnId, MobileEnrolmentDetails details, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(details);
        var txn = await otp.ConsumeVerifiedAsync(txnId, OtpPurpose.MobileEnrolment, details.Mobile, ct).ConfigureAwait(false);
        var number = await allocator.AllocateAsync(ct).ConfigureAwait(false);
        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = number,
            Name = details.Name,
            Gender = details.Gender,
            DateOfBirth = details.DateOfBirth,
            KycStatus = KycStatus.Unverified,
            Mobile = details.Mobile,
            MobileHash = txn.DestinationHash,
            MobileVerified = true,
            Email = details.Email,
            Address = details.Address,
            AssistedBy = details.AssistedBy,
            Consent = details.Consent,
        }, time);
        await audit.RecordPatientAsync(number, EnrolAction, "created", ct).ConfigureAwait(false);
        await accounts.CreateAsync(account, ct).ConfigureAwait(false);
        return account;
    }

    /// <summary>
    /// Links a new ABHA address (handle alone or handle@suffix) to the account, claiming it first; a taken one is
    /// ABHA_ADDRESS_TAKEN (Conflict). The claim carries the account's lookup view, and the other claims get the new
    /// one too (the preferred address may have moved).
    /// </summary>
    public async Task<AbhaAccount> CreateAbhaAddressAsync(AbhaNumber number, string abhaAddress, bool preferred,
        CancellationToken ct)
    {
        var address = AbhaAddress.Parse(abhaAddress, addressOptions.Suffix);
        var stored = await accounts.FindAsync(number, ct).ConfigureAwait(false) ?? throw HealthIdErrors.AbhaNotFound();
        var account = stored.Value;
        // Linked in memory first, so an account that may not link it (deactivated, say) claims nothing, and the
        // claim is created with the view of the account as it is about to be saved.
        account.AddAddress(address, preferred, time);
        if (!await claims.TryClaimAddressAsync(address, account.ToLookupView(), ct).ConfigureAwait(false))
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AbhaAddressTaken, "ABHA address taken",
                "This ABHA address belongs to someone else; pick another (see the suggestions).");
        await audit.RecordPatientAsync(number, AddressCreateAction, preferred ? "preferred" : null, ct).ConfigureAwait(false);
        await accounts.ReplaceAsync(account, stored.ETag, ct).ConfigureAwait(false);
        await claims.SyncAddressViewsAsync(account.AbhaAddresses.Select(a => a.Address), account.ToLookupView(), ct)
            .ConfigureAwait(false);
        return account;
    }
}
