using System.Text.Json.Serialization;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Consent;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Accounts;

public enum AbhaStatus
{
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("DEACTIVATED")] Deactivated,
    [JsonStringEnumMemberName("DELETED")] Deleted,
}

/// <summary>How the identity behind the account was established.</summary>
public enum KycStatus
{
    /// <summary>Demographics came from Aadhaar e-KYC after an Aadhaar OTP.</summary>
    [JsonStringEnumMemberName("VERIFIED")] Verified,

    /// <summary>Self-declared demographics; only the mobile was proven by OTP.</summary>
    [JsonStringEnumMemberName("UNVERIFIED")] Unverified,
}

/// <summary>Who helped the person enrol, when a health worker did (assisted enrolment at a facility or camp).</summary>
public sealed record AssistedEnrolment(string WorkerId, string? FacilityId = null);

/// <summary>One ABHA address linked to the account.</summary>
public sealed record LinkedAbhaAddress(AbhaAddress Address, bool Preferred, DateTimeOffset LinkedAt);

/// <summary>What is needed to open an account; see <see cref="AbhaAccount.Enrol"/>.</summary>
public sealed record AbhaEnrolment
{
    public required AbhaNumber AbhaNumber { get; init; }
    public required PersonName Name { get; init; }
    public required Gender Gender { get; init; }
    public required DateOfBirth DateOfBirth { get; init; }
    public required KycStatus KycStatus { get; init; }

    /// <summary><see cref="IIdentityHasher.HashAadhaarAsync"/> of the Aadhaar number: required when KYC is verified.</summary>
    public string? AadhaarHash { get; init; }

    public MobileNumber? Mobile { get; init; }

    /// <summary><see cref="IIdentityHasher.HashMobileAsync"/> of <see cref="Mobile"/>, for lookups by mobile.</summary>
    public string? MobileHash { get; init; }

    /// <summary>True when the mobile was proven by an OTP to it (required for mobile-only enrolment).</summary>
    public bool MobileVerified { get; init; }

    public string? Email { get; init; }
    public PostalAddress? Address { get; init; }
    public AssistedEnrolment? AssistedBy { get; init; }

    /// <summary>The name in the person's language, when e-KYC supplies one.</summary>
    public LocalName? LocalName { get; init; }

    /// <summary>The e-KYC photograph (JPEG), when supplied.</summary>
    public byte[]? Photo { get; init; }

    /// <summary>The consent text (version and language) the person accepted before enrolling.</summary>
    public AcceptedConsent? Consent { get; init; }

    /// <summary>The identity document behind an enrolment by document (hash and verification state).</summary>
    public DocumentKyc? Document { get; init; }

    /// <summary>For accounts enrolled by demographics at a camp: programme, batch, record and the worker's attestation.</summary>
    public Demographic.DemographicKyc? Demographic { get; init; }
}

/// <summary>Changes a person may make to their own profile; null leaves a field as it is.</summary>
public sealed record AbhaProfileUpdate
{
    /// <summary>Only for accounts without Aadhaar KYC: verified demographics come from Aadhaar.</summary>
    public PersonName? Name { get; init; }

    public Gender? Gender { get; init; }
    public DateOfBirth? DateOfBirth { get; init; }
    public string? Email { get; init; }
    public PostalAddress? Address { get; init; }
}

/// <summary>The minimum a verifier (a HIP at registration, say) needs to match a person to a number.</summary>
public sealed record AbhaVerificationView(AbhaNumber AbhaNumber, string? Name, Gender? Gender, int? YearOfBirth, AbhaStatus Status);

/// <summary>
/// An ABHA account: the number, the person's demographics and contacts, their ABHA addresses (exactly one
/// preferred once there is any), and its life cycle ACTIVE -> DEACTIVATED -> ACTIVE, and any -> DELETED
/// (erasure). A single document keyed by the number, replaced with ETag If-Match.
/// </summary>
public sealed class AbhaAccount
{
    private readonly List<LinkedAbhaAddress> abhaAddresses;

    [JsonConstructor]
    public AbhaAccount(string id, string pk, AbhaNumber abhaNumber, PersonName? name, Gender? gender,
        DateOfBirth? dateOfBirth, MobileNumber? mobile, string? mobileHash, bool mobileVerified, string? email,
        PostalAddress? address, KycStatus kycStatus, string? aadhaarHash, IReadOnlyList<LinkedAbhaAddress>? abhaAddresses,
        AbhaStatus status, AssistedEnrolment? assistedBy, DateTimeOffset createdAt, DateTimeOffset updatedAt,
        DateTimeOffset? deactivatedAt, DateTimeOffset? erasedAt, LocalName? localName = null, byte[]? photo = null,
        AcceptedConsent? consent = null, DocumentKyc? document = null, Demographic.DemographicKyc? demographic = null,
        string? emailHash = null, bool emailVerified = false, DateTimeOffset? reactivatedAt = null)
    {
        Id = id;
        Pk = pk;
        AbhaNumber = abhaNumber;
        Name = name;
        Gender = gender;
        DateOfBirth = dateOfBirth;
        Mobile = mobile;
        MobileHash = mobileHash;
        MobileVerified = mobileVerified;
        Email = email;
        Address = address;
        KycStatus = kycStatus;
        AadhaarHash = aadhaarHash;
        this.abhaAddresses = abhaAddresses?.ToList() ?? [];
        Status = status;
        AssistedBy = assistedBy;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        DeactivatedAt = deactivatedAt;
        ErasedAt = erasedAt;
        LocalName = localName;
        Photo = photo;
        Consent = consent;
        Document = document;
        Demographic = demographic;
        EmailHash = emailHash;
        EmailVerified = emailVerified;
        ReactivatedAt = reactivatedAt;
    }

    /// <summary>Document id: the 14 digits of the ABHA number.</summary>
    public string Id { get; }

    /// <summary>Partition key: the 14 digits of the ABHA number.</summary>
    public string Pk { get; }

    public AbhaNumber AbhaNumber { get; }

    /// <summary>Null only after erasure (as are the other personal fields).</summary>
    public PersonName? Name { get; private set; }

    /// <summary>The name in the person's language, from Aadhaar e-KYC (null for self-declared accounts).</summary>
    public LocalName? LocalName { get; private set; }

    /// <summary>The Aadhaar e-KYC photograph (JPEG, base64 in the document), shown on the ABHA card.</summary>
    public byte[]? Photo { get; private set; }

    public Gender? Gender { get; private set; }
    public DateOfBirth? DateOfBirth { get; private set; }
    public MobileNumber? Mobile { get; private set; }
    public string? MobileHash { get; private set; }
    public bool MobileVerified { get; private set; }
    public string? Email { get; private set; }

    /// <summary>Keyed hash of <see cref="Email"/> once it is verified (lookups by email); null while unverified.</summary>
    public string? EmailHash { get; private set; }

    /// <summary>True once an OTP sent to <see cref="Email"/> was verified; a new email set by a profile update is unverified.</summary>
    public bool EmailVerified { get; private set; }

    public PostalAddress? Address { get; private set; }
    public KycStatus KycStatus { get; }

    /// <summary>Keyed hash of the Aadhaar number (one ABHA number per Aadhaar); never the number itself.</summary>
    public string? AadhaarHash { get; private set; }

    public IReadOnlyList<LinkedAbhaAddress> AbhaAddresses => abhaAddresses;

    /// <summary>ABDM's <c>preferredAbhaAddress</c>: null until the first address is linked.</summary>
    [JsonIgnore]
    public AbhaAddress? PreferredAbhaAddress => abhaAddresses.FirstOrDefault(a => a.Preferred)?.Address;

    public AbhaStatus Status { get; private set; }

    /// <summary>The consent text accepted at enrolment (null for accounts enrolled before it was recorded).</summary>
    public AcceptedConsent? Consent { get; }

    /// <summary>For accounts enrolled by document: which document (as a keyed hash) and whether it is verified.</summary>
    public DocumentKyc? Document { get; private set; }

    /// <summary>For accounts enrolled by demographics at an outreach camp: where the record came from and how it was attested.</summary>
    public Demographic.DemographicKyc? Demographic { get; private set; }

    public AssistedEnrolment? AssistedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeactivatedAt { get; private set; }
    public DateTimeOffset? ErasedAt { get; private set; }

    /// <summary>When the last deactivation ended: names that reactivation (to partners) even after a repeat re-syncs it.</summary>
    public DateTimeOffset? ReactivatedAt { get; private set; }

    /// <summary>
    /// Opens an ACTIVE account. Aadhaar-verified accounts need the Aadhaar hash; mobile-only accounts need a
    /// mobile proven by OTP (otherwise nobody could ever log in to them).
    /// </summary>
    public static AbhaAccount Enrol(AbhaEnrolment e, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.KycStatus == KycStatus.Verified && string.IsNullOrWhiteSpace(e.AadhaarHash))
            throw new ArgumentException("An Aadhaar-verified enrolment needs the Aadhaar hash.", nameof(e));
        // A demographic enrolment stands on a registered health worker's attestation instead (people enrolled at
        // outreach camps often have no phone).
        if (e.KycStatus == KycStatus.Unverified && (e.Mobile is null || !e.MobileVerified) && e.Demographic is null)
            throw new ArgumentException("A mobile-only enrolment needs a mobile verified by OTP.", nameof(e));
        if (e.Demographic is not null && e.AssistedBy is null)
            throw new ArgumentException("A demographic enrolment needs the attesting health worker.", nameof(e));
        if (e.Mobile is not null && string.IsNullOrWhiteSpace(e.MobileHash))
            throw new ArgumentException("A mobile needs its hash, for lookups by mobile.", nameof(e));
        if (e.AssistedBy is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(e.AssistedBy.WorkerId, nameof(e));

        var now = time.GetUtcNow();
        return new AbhaAccount(e.AbhaNumber.Digits, e.AbhaNumber.Digits, e.AbhaNumber, e.Name, e.Gender, e.DateOfBirth,
            e.Mobile, e.Mobile is null ? null : e.MobileHash, e.Mobile is not null && e.MobileVerified,
            e.Email is null ? null : EmailAddress.Normalise(e.Email), e.Address, e.KycStatus,
            e.KycStatus == KycStatus.Verified ? e.AadhaarHash : null, [], AbhaStatus.Active, e.AssistedBy,
            now, now, deactivatedAt: null, erasedAt: null, e.LocalName, e.Photo, e.Consent, e.Document, e.Demographic);
    }

    /// <summary>
    /// Links <paramref name="address"/> (whose global uniqueness the caller has already claimed). The first address
    /// is preferred whatever <paramref name="preferred"/> says, so there is always exactly one preferred.
    /// </summary>
    public void AddAddress(AbhaAddress address, bool preferred, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(address);
        EnsureActive();
        if (abhaAddresses.Any(a => a.Address == address))
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AbhaAddressTaken, "ABHA address already linked",
                "This ABHA address is already linked to this account.");
        var now = Stamp(time);
        var makePreferred = preferred || abhaAddresses.Count == 0;
        if (makePreferred) ClearPreferred();
        abhaAddresses.Add(new LinkedAbhaAddress(address, makePreferred, now));
    }

    /// <summary>Makes a linked address the preferred one (and no other).</summary>
    public void SetPreferredAddress(AbhaAddress address, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(address);
        EnsureActive();
        var index = abhaAddresses.FindIndex(a => a.Address == address);
        if (index < 0)
            throw new DomainException(ErrorKind.NotFound, HealthIdErrors.AbhaAddressNotLinked, "ABHA address not linked",
                "This ABHA address is not linked to this account.");
        ClearPreferred();
        abhaAddresses[index] = abhaAddresses[index] with { Preferred = true };
        Stamp(time);
    }

    /// <summary>
    /// Applies a person's own changes. Name, gender and date of birth of an Aadhaar-verified account come from
    /// Aadhaar and stay as they are (PROFILE_FIELD_LOCKED); the person corrects them at UIDAI and re-verifies.
    /// </summary>
    public void UpdateProfile(AbhaProfileUpdate update, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(update);
        EnsureActive();
        if ((KycStatus == KycStatus.Verified || Document?.State == DocumentVerificationState.Verified)
            && (update.Name is not null || update.Gender is not null || update.DateOfBirth is not null))
            throw new DomainException(ErrorKind.Forbidden, HealthIdErrors.ProfileFieldLocked, "Profile field comes from Aadhaar",
                "Name, gender and date of birth of an Aadhaar-verified ABHA come from Aadhaar and cannot be edited here.");
        var email = update.Email is null ? null : EmailAddress.Normalise(update.Email);
        Name = update.Name ?? Name;
        Gender = update.Gender ?? Gender;
        DateOfBirth = update.DateOfBirth ?? DateOfBirth;
        if (email is not null && !string.Equals(email, Email, StringComparison.Ordinal))
        {
            EmailHash = null;
            EmailVerified = false;
        }
        Email = email ?? Email;
        Address = update.Address ?? Address;
        Stamp(time);
    }

    /// <summary>Stores <paramref name="email"/> as the verified email after an OTP sent to it was verified (purpose EmailVerification).</summary>
    public void VerifyEmail(string email, string emailHash, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(emailHash);
        EnsureActive();
        Email = EmailAddress.Normalise(email);
        EmailHash = emailHash;
        EmailVerified = true;
        Stamp(time);
    }

    /// <summary>Replaces the mobile after an OTP to the new number was verified (purpose MobileUpdate).</summary>
    public void ChangeMobile(MobileNumber mobile, string mobileHash, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(mobile);
        ArgumentException.ThrowIfNullOrWhiteSpace(mobileHash);
        EnsureActive();
        Mobile = mobile;
        MobileHash = mobileHash;
        MobileVerified = true;
        Stamp(time);
    }

    /// <summary>
    /// Records a verifier's decision on a pending document enrolment: VERIFIED locks name, gender and birth date as
    /// Aadhaar KYC does; REJECTED leaves a mobile-verified account whose document counts for nothing (its claim is
    /// released by the caller, so the document's real holder can enrol).
    /// </summary>
    public void DecideDocument(bool approved, string? reason, string decidedBy, string? facilityId, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        EnsureActive();
        if (Document is not { State: DocumentVerificationState.Pending } pending)
            throw new DomainException(ErrorKind.Conflict, DocumentErrors.ReviewAlreadyDecided, "Document already decided",
                "This enrolment's document is not waiting for a decision.");
        var now = Stamp(time);
        Document = pending with
        {
            State = approved ? DocumentVerificationState.Verified : DocumentVerificationState.Rejected,
            DecidedAt = now,
            DecidedBy = decidedBy,
            DecidedAtFacility = facilityId,
            Reason = reason,
        };
    }

    /// <summary>Suspends the account at the person's request: it stops resolving for verifiers and logins.</summary>
    public void Deactivate(TimeProvider time)
    {
        EnsureNotDeleted();
        if (Status != AbhaStatus.Active)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountStateInvalid, "Account is not active",
                "Only an active ABHA can be deactivated.");
        Status = AbhaStatus.Deactivated;
        DeactivatedAt = Stamp(time);
    }

    public void Reactivate(TimeProvider time)
    {
        EnsureNotDeleted();
        if (Status != AbhaStatus.Deactivated)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountStateInvalid, "Account is not deactivated",
                "Only a deactivated ABHA can be reactivated.");
        Status = AbhaStatus.Active;
        DeactivatedAt = null;
        ReactivatedAt = Stamp(time);
    }

    /// <summary>
    /// Deletes the account at the person's request: every personal field is removed from the document (names,
    /// photo, gender, birth date, mobile and its hash, email, postal address, Aadhaar hash, the ABHA addresses, the
    /// assisting worker), leaving a DELETED tombstone with the number, so the number is retired and never
    /// reissued. Returns the addresses that were linked, so the caller can retire their uniqueness claims too
    /// (they are not handed to anyone else: records at HIPs were threaded by them).
    /// </summary>
    public IReadOnlyList<AbhaAddress> Erase(TimeProvider time)
    {
        EnsureNotDeleted();
        var released = abhaAddresses.Select(a => a.Address).ToList();
        var now = Stamp(time);
        Name = null;
        LocalName = null;
        Photo = null;
        Gender = null;
        DateOfBirth = null;
        Mobile = null;
        MobileHash = null;
        MobileVerified = false;
        Email = null;
        EmailHash = null;
        EmailVerified = false;
        Address = null;
        AadhaarHash = null;
        AssistedBy = null;
        Document = null;
        Demographic = null;
        abhaAddresses.Clear();
        Status = AbhaStatus.Deleted;
        DeactivatedAt = null;
        ErasedAt = now;
        return released;
    }

    /// <summary>
    /// Marks a new version without changing anything, so that copies derived from the account (the lookup views in
    /// its address claims) can be written again as newer than any an interrupted change left behind: the repair step
    /// of a retried deactivation or reactivation that finds the account already in its target state.
    /// </summary>
    public void Touch(TimeProvider time)
    {
        EnsureNotDeleted();
        Stamp(time);
    }

    /// <summary>Name, gender, year of birth and status; nothing personal once the account is deleted.</summary>
    public AbhaVerificationView ToVerificationView() =>
        Status == AbhaStatus.Deleted
            ? new AbhaVerificationView(AbhaNumber, null, null, null, Status)
            : new AbhaVerificationView(AbhaNumber, Name?.FullName, Gender, DateOfBirth?.Year, Status);

    /// <summary>The ABDM-shaped profile (<see cref="AbhaProfile"/>).</summary>
    public AbhaProfile ToProfile() => AbhaProfile.From(this);

    /// <summary>What the account's address claims carry for lookups by address (<see cref="AbhaLookupView"/>).</summary>
    public AbhaLookupView ToLookupView() => AbhaLookupView.From(this);

    /// <summary>
    /// Moves <see cref="UpdatedAt"/> forward, at least by a tick even when the clock has not (or another instance's
    /// clock is behind): it versions the account, and the lookup views copied from it are ordered by it.
    /// </summary>
    private DateTimeOffset Stamp(TimeProvider time)
    {
        var now = time.GetUtcNow();
        UpdatedAt = now > UpdatedAt ? now : UpdatedAt.AddTicks(1);
        return UpdatedAt;
    }

    private void ClearPreferred()
    {
        for (var i = 0; i < abhaAddresses.Count; i++)
        {
            if (abhaAddresses[i].Preferred) abhaAddresses[i] = abhaAddresses[i] with { Preferred = false };
        }
    }

    /// <summary>Throws ACCOUNT_DELETED (Gone) once the account is erased.</summary>
    public void EnsureNotDeleted()
    {
        if (Status == AbhaStatus.Deleted)
            throw HealthIdErrors.AbhaDeleted();
    }

    private void EnsureActive()
    {
        EnsureNotDeleted();
        if (Status == AbhaStatus.Deactivated)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountDeactivated, "ABHA deactivated",
                "This ABHA is deactivated; reactivate it first.");
    }
}
