using System.Text.RegularExpressions;
using Ndhm.Core.Abdm;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;

namespace Ndhm.Linking.ProfileSharing;

public enum ProfileShareStatus
{
    Pending,
    Shared,
    Failed,
    TimedOut,
}

/// <summary>
/// One scan-and-share: the patient sent their profile to a HIP's counter; the HIP answers with its queue token
/// number (or an error) by the deadline (<c>Abdm__ProfileShareTimeout</c>), else the share has timed out (computed on read).
/// </summary>
public sealed record ProfileShare(string RequestId, string AbhaNumber, string HipId, string PartnerId, string CounterId, DateTimeOffset CreatedAt,
    DateTimeOffset DeadlineAt, ProfileShareStatus Status = ProfileShareStatus.Pending, string? TokenNumber = null, AbdmError? Error = null,
    DateTimeOffset? AnsweredAt = null)
{
    public ProfileShareStatus StatusAt(DateTimeOffset now) =>
        Status == ProfileShareStatus.Pending && now > DeadlineAt ? ProfileShareStatus.TimedOut : Status;
}

/// <summary>Port: scan-and-share records (create, read, compare-and-swap).</summary>
public interface IProfileShareStore
{
    Task CreateAsync(ProfileShare share, CancellationToken ct);

    Task<Versioned<ProfileShare>?> FindAsync(string requestId, CancellationToken ct);

    /// <summary>Null when the record changed since <paramref name="ifMatch"/>.</summary>
    Task<string?> TryReplaceAsync(ProfileShare share, string ifMatch, CancellationToken ct);
}

public sealed record ShareProfilePatient(string HealthId, string HealthIdNumber, string Name, string Gender, int? YearOfBirth,
    IReadOnlyList<AbdmIdentifier> Identifiers);

public sealed record ShareProfileBody(string HipCode, ShareProfilePatient Patient);

/// <summary>ABDM <c>ShareProfileRequest</c>, as the platform sends it to the HIP's bridge.</summary>
public sealed record ShareProfileMessage(string RequestId, string Timestamp, ShareProfileBody Profile);

/// <summary>ABDM <c>ShareProfileAcknowledgement</c> (v1.0's, with the token number).</summary>
public sealed record ShareProfileAcknowledgement(string? Status, string? HealthId, string? TokenNumber);

/// <summary>
/// Scan and share (ABDM <c>SHARE_PATIENT_PROFILE</c>): the platform issues a HIP a signed QR for each counter; a patient
/// who scans it sends their profile to that HIP (<c>/v0.5/patients/profile/share</c> to its bridge), and the HIP's
/// <c>/v0.5/patients/profile/on-share</c> gives the patient their token number. Each step is on the patient's audit trail.
/// </summary>
public sealed partial class ProfileShareService(
    FacilityQrSigner qrs,
    IProfileShareStore store,
    IHipDirectory hips,
    IPatientDirectory patients,
    IHipBridge bridge,
    LinkingAudit audit,
    AbdmSettings settings,
    TimeProvider time)
{
    public const string SharePath = "/v0.5/patients/profile/share";
    public const string InvalidQr = "INVALID_FACILITY_QR";
    public const string QrExpired = "FACILITY_QR_EXPIRED";
    public const string ShareNotFound = "PROFILE_SHARE_NOT_FOUND";
    public const string AlreadyAnswered = "PROFILE_SHARE_ANSWERED";
    public const string NotServed = "FACILITY_NOT_SERVED";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex CounterPattern();

    /// <summary>A QR for one of the HIP partner's facilities (or itself) and counter, valid for <c>Abdm__FacilityQrLifetime</c>.</summary>
    public async Task<(string Qr, FacilityQrClaims Claims)> IssueQrAsync(string partnerId, string? hipId, string? counterId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(hipId)) throw LinkingErrors.Invalid("hipId is required.");
        if (string.IsNullOrWhiteSpace(counterId) || !CounterPattern().IsMatch(counterId))
            throw LinkingErrors.Invalid("counterId is required: 1-32 letters, digits, '-' or '_', starting with a letter or digit.");
        if (!await hips.ServesAsync(partnerId, hipId, ct))
            throw LinkingErrors.Error(ErrorKind.Forbidden, NotServed, AbdmErrors.InvalidHip, "Not your HIP.", "hipId must be one of your facilities.");
        if (await hips.FindAsync(hipId, ct) is not { } hip || hip.PartnerId != partnerId) throw LinkingErrors.NoSuchHip();
        var now = time.GetUtcNow();
        var claims = new FacilityQrClaims(hipId, counterId, settings.CmId, now, now + settings.FacilityQrLifetime);
        return (await qrs.SignAsync(claims, ct), claims);
    }

    /// <summary>The patient scanned <paramref name="qr"/>: their profile goes to the HIP; poll the share for the token number.</summary>
    public async Task<ProfileShare> ShareAsync(string abhaNumber, string? qr, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(qr) || qr.Length > 4096) throw LinkingErrors.Invalid("qr is required: the facility QR's text.");
        var claims = await qrs.ReadAsync(qr.Trim(), ct) is { } read && read.CmId == settings.CmId
            ? read
            : throw LinkingErrors.Error(ErrorKind.Validation, InvalidQr, AbdmErrors.InvalidRequest, "Not a facility QR of this platform.",
                "Scan the QR the HIP's counter shows.");
        var now = time.GetUtcNow();
        if (now >= claims.ExpiresAt)
            throw LinkingErrors.Error(ErrorKind.Validation, QrExpired, AbdmErrors.InvalidRequest, "The facility QR has expired.", "Ask the HIP for its new QR.");
        var hip = await hips.FindAsync(claims.HipId, ct) ?? throw LinkingErrors.NoSuchHip();
        var patient = await patients.FindAsync(abhaNumber, ct) ?? throw LinkingErrors.NoSuchPatient();
        var share = new ProfileShare(Guid.NewGuid().ToString(), patient.AbhaNumber, hip.HipId, hip.PartnerId, claims.CounterId, now,
            now + settings.ProfileShareTimeout);
        await audit.RecordAsync(patient.AbhaNumber, "profile.share", share.RequestId, hip.HipId, ct);
        await store.CreateAsync(share, ct);
        var identifiers = patient.Mobile is null ? [] : new List<AbdmIdentifier> { new("MOBILE", patient.Mobile) };
        await bridge.SendAsync(hip, SharePath, new ShareProfileMessage(share.RequestId, AbdmTimestamp.Of(now), new ShareProfileBody(claims.CounterId,
            new ShareProfilePatient(patient.AbhaAddress, patient.FormattedAbhaNumber, patient.Name, patient.Gender, patient.YearOfBirth, identifiers))),
            null, ct);
        return share;
    }

    /// <summary>The HIP's on-share: only the partner the profile went to, once, before the deadline.</summary>
    public async Task OnShareAsync(string partnerId, string? respRequestId, ShareProfileAcknowledgement? acknowledgement, AbdmError? error,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(respRequestId)) throw LinkingErrors.Invalid("resp.requestId is required.");
        if (error is null && (acknowledgement is null || acknowledgement.Status is not ("SUCCESS" or "FAILURE")))
            throw LinkingErrors.Invalid("acknowledgement.status (SUCCESS or FAILURE) or error is required.");
        if (acknowledgement is { Status: "SUCCESS" } && (string.IsNullOrWhiteSpace(acknowledgement.TokenNumber) || acknowledgement.TokenNumber.Length > 32))
            throw LinkingErrors.Invalid("acknowledgement.tokenNumber is required with SUCCESS (at most 32 characters).");
        while (true)
        {
            var found = Guid.TryParse(respRequestId, out _) ? await store.FindAsync(respRequestId, ct) : null;
            if (found is not { } current || current.Value.PartnerId != partnerId)
                throw LinkingErrors.Error(ErrorKind.NotFound, ShareNotFound, AbdmErrors.InvalidTransactionId, "No such profile share.",
                    "resp.requestId must name a profile share sent to you.");
            var now = time.GetUtcNow();
            if (current.Value.StatusAt(now) != ProfileShareStatus.Pending)
                throw LinkingErrors.Error(ErrorKind.Conflict, AlreadyAnswered, AbdmErrors.InvalidTransactionId, "The profile share is closed.",
                    "It was answered already or its time ran out.");
            var answered = acknowledgement is { Status: "SUCCESS" } && error is null
                ? current.Value with { Status = ProfileShareStatus.Shared, TokenNumber = acknowledgement.TokenNumber!.Trim(), AnsweredAt = now }
                : current.Value with
                {
                    Status = ProfileShareStatus.Failed, AnsweredAt = now,
                    Error = error ?? new AbdmError(AbdmErrors.InvalidRequest, "The HIP could not register the patient."),
                };
            await audit.RecordAsync(current.Value.AbhaNumber, "profile.share.result", current.Value.RequestId, answered.Status.ToString(), ct);
            if (await store.TryReplaceAsync(answered, current.ETag, ct) is not null) return;
        }
    }

    public async Task<ProfileShare> GetAsync(string abhaNumber, string requestId, CancellationToken ct)
    {
        var share = Guid.TryParse(requestId, out _) && await store.FindAsync(requestId, ct) is { Value: var s } && s.AbhaNumber == abhaNumber
            ? s
            : throw LinkingErrors.Error(ErrorKind.NotFound, ShareNotFound, AbdmErrors.NotFound, "No such profile share.");
        await audit.RecordAsync(abhaNumber, "profile.share.read", requestId, share.StatusAt(time.GetUtcNow()).ToString(), ct);
        return share;
    }
}
