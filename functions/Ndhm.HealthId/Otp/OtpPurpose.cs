using System.Text.Json.Serialization;

namespace Ndhm.HealthId.Otp;

/// <summary>What an OTP transaction proves; a transaction verified for one purpose is useless for another.</summary>
public enum OtpPurpose
{
    /// <summary>OTP to the Aadhaar-registered mobile (ABDM scope <c>abha-enrol</c>, loginHint aadhaar).</summary>
    [JsonStringEnumMemberName("AADHAAR_ENROLMENT")] AadhaarEnrolment,

    /// <summary>OTP to a self-declared mobile (ABDM <c>mobile-verify</c>): mobile-only, unverified KYC.</summary>
    [JsonStringEnumMemberName("MOBILE_ENROLMENT")] MobileEnrolment,

    [JsonStringEnumMemberName("LOGIN")] Login,

    [JsonStringEnumMemberName("MOBILE_UPDATE")] MobileUpdate,

    /// <summary>
    /// A fresh OTP to the account's verified mobile before it is deactivated (ABDM scope <c>abha-profile</c>,
    /// <c>de-activate</c>): a stolen session token alone cannot switch an ABHA off.
    /// </summary>
    [JsonStringEnumMemberName("ACCOUNT_DEACTIVATION")] AccountDeactivation,

    /// <summary>The same before the account is erased (ABDM scope <c>abha-profile</c>, <c>delete</c>).</summary>
    [JsonStringEnumMemberName("ACCOUNT_DELETION")] AccountDeletion,

    /// <summary>Linking care contexts at a HIP that leaves the OTP to the platform (MEDIATE): proves the account's mobile.</summary>
    [JsonStringEnumMemberName("CARE_CONTEXT_LINK")] CareContextLink,

    /// <summary>
    /// A HIP or HIU authenticating the patient (ABDM users/auth MOBILE_OTP): the patient reads the code to the
    /// partner, who sends it in users/auth/confirm.
    /// </summary>
    [JsonStringEnumMemberName("PARTNER_AUTH")] PartnerAuth,

    /// <summary>Proves the patient reads an email address before it is stored as their verified email (M1 PROF_ABHA_603).</summary>
    [JsonStringEnumMemberName("EMAIL_VERIFICATION")] EmailVerification,
}

public enum OtpTransactionStatus
{
    /// <summary>Sent and waiting for the code (it may have expired: expiry is a matter of time, not state).</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,

    /// <summary>Verified once; every later verify is a replay.</summary>
    [JsonStringEnumMemberName("VERIFIED")] Verified,

    /// <summary>Verified and then used by the step it unlocked (an enrolment); it cannot unlock another.</summary>
    [JsonStringEnumMemberName("CONSUMED")] Consumed,

    /// <summary>Too many wrong codes; only a new transaction helps.</summary>
    [JsonStringEnumMemberName("LOCKED")] Locked,
}
