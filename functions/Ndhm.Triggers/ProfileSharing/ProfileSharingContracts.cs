using Ndhm.Gateway.Abdm;
using Ndhm.Linking;
using Ndhm.Linking.ProfileSharing;
using Ndhm.Triggers.Linking;

namespace Ndhm.Triggers.ProfileSharing;

public sealed record FacilityQrRequest(string? HipId, string? CounterId);

/// <summary>The facility QR: <c>qr</c> is the text to print as a QR code (a compact JWS the JWKS verifies).</summary>
public sealed record FacilityQrResponse(string Qr, string HipId, string CounterId, string Cm, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public static FacilityQrResponse From(string qr, FacilityQrClaims c) => new(qr, c.HipId, c.CounterId, c.CmId, c.IssuedAt, c.ExpiresAt);
}

public sealed record ShareProfileRequest(string? Qr);

public sealed record ProfileShareResponse(string RequestId, string HipId, string CounterId, string Status, DateTimeOffset CreatedAt, DateTimeOffset DeadlineAt,
    string? TokenNumber = null, AbdmError? Error = null, DateTimeOffset? AnsweredAt = null)
{
    public static ProfileShareResponse From(ProfileShare s, DateTimeOffset now) =>
        new(s.RequestId, s.HipId, s.CounterId, Name(s.StatusAt(now)), s.CreatedAt, s.DeadlineAt, s.TokenNumber, s.Error, s.AnsweredAt);

    private static string Name(ProfileShareStatus status) => status switch
    {
        ProfileShareStatus.Pending => "PENDING",
        ProfileShareStatus.Shared => "SHARED",
        ProfileShareStatus.Failed => "FAILED",
        _ => "TIMED_OUT",
    };
}

/// <summary><c>/v0.5/patients/profile/on-share</c> (ABDM ShareProfileResult; the acknowledgement's tokenNumber as in v1.0).</summary>
public sealed record OnShareProfileRequest(string? RequestId, string? Timestamp, ShareProfileAcknowledgement? Acknowledgement, InboundAbdmError? Error,
    InboundResp? Resp) : IAbdmRequest;

internal static class ProfileSharingHttp
{
    public const string PatientTag = "Scan and share (patient)";
    public const string PartnerTag = "Scan and share (ABDM v0.5)";
}
