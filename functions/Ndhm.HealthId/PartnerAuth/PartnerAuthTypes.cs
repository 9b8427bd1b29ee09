using System.Text.Json.Serialization;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>ABDM's <c>PatientAuthPurpose</c>: what the partner will do once the patient is authenticated.</summary>
public enum AuthPurpose
{
    /// <summary>HIP-initiated linking: the confirm returns an access token only.</summary>
    [JsonStringEnumMemberName("LINK")] Link,

    /// <summary>Know your customer: the confirm returns the patient's demographics only.</summary>
    [JsonStringEnumMemberName("KYC")] Kyc,

    /// <summary>Both.</summary>
    [JsonStringEnumMemberName("KYC_AND_LINK")] KycAndLink,
}

/// <summary>ABDM's <c>AuthenticationMode</c>.</summary>
public enum AuthMode
{
    /// <summary>An OTP to the ABHA's verified mobile; the partner sends it in users/auth/confirm.</summary>
    [JsonStringEnumMemberName("MOBILE_OTP")] MobileOtp,

    /// <summary>The patient approves in their app; the partner is told through users/auth/notify.</summary>
    [JsonStringEnumMemberName("DIRECT")] Direct,

    /// <summary>Name, gender and year of birth as the ABHA holds them, in users/auth/confirm.</summary>
    [JsonStringEnumMemberName("DEMOGRAPHICS")] Demographics,

    /// <summary>Not offered: the platform does not hold the Aadhaar number to send an Aadhaar OTP to.</summary>
    [JsonStringEnumMemberName("AADHAAR_OTP")] AadhaarOtp,
}

/// <summary>ABDM's requester type: which of its roles the partner authenticates the patient for.</summary>
public enum RequesterType
{
    [JsonStringEnumMemberName("HIP")] Hip,
    [JsonStringEnumMemberName("HIU")] Hiu,
}

public static class AuthPurposes
{
    public static bool GrantsAccessToken(this AuthPurpose purpose) => purpose is AuthPurpose.Link or AuthPurpose.KycAndLink;

    public static bool SharesDemographics(this AuthPurpose purpose) => purpose is AuthPurpose.Kyc or AuthPurpose.KycAndLink;
}

/// <summary>
/// Who asks: the partner (client id) and the id it acts as (a HIP's facility or an HIU's id), as checked by the
/// gateway from its session and X-HIP-ID / X-HIU-ID.
/// </summary>
public sealed record AuthRequester(string PartnerId, RequesterType Type, string Id);

/// <summary>ABDM's <c>PatientDemographicResponse</c>: what a partner learns about the patient.</summary>
public sealed record PatientDemographics(string Id, string Name, string Gender, int YearOfBirth, IReadOnlyList<PatientIdentifier>? Identifiers = null);

/// <summary>An identifier in ABDM's form (<c>type</c>: MOBILE, HEALTH_NUMBER...).</summary>
public sealed record PatientIdentifier(string Type, string Value);
