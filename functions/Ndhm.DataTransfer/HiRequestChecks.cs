using Ndhm.Consent;
using Ndhm.Core.Abdm;
using Ndhm.Fidelius;

namespace Ndhm.DataTransfer;

/// <summary>
/// The checks of a HIU's health-information request, in ABDM's order: the artefact exists and is the caller's,
/// GRANTED (ABDM-1062), not expired (ABDM-1061), the requested range inside the permission's (ABDM-1063), the key
/// material well formed and unexpired, the push URL absolute. Pure: the caller supplies the record and the time.
/// </summary>
public static class HiRequestChecks
{
    /// <summary>What survives the shape checks: the artefact id, the range, the push URL and the key material as sent.</summary>
    public sealed record ValidRequest(string ArtefactId, DateRange DateRange, string DataPushUrl, AbdmKeyMaterial KeyMaterial);

    public static ValidRequest Shape(HiRequestInput? input)
    {
        if (input is null) throw DataTransferErrors.Invalid("hiRequest is required.", "hiRequest");
        if (string.IsNullOrWhiteSpace(input.Consent?.Id) || !Guid.TryParse(input.Consent.Id.Trim(), out var artefact))
            throw DataTransferErrors.Invalid("hiRequest.consent.id must be the consent artefact's id.", "hiRequest.consent.id");
        if (input.DateRange?.From is not { } from || input.DateRange.To is not { } to)
            throw DataTransferErrors.Invalid("hiRequest.dateRange.from and .to are required.", "hiRequest.dateRange");
        if (from > to) throw DataTransferErrors.OutsideRange("hiRequest.dateRange.from is after .to.");
        var url = input.DataPushUrl?.Trim();
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var push)
            || !(push.Scheme == Uri.UriSchemeHttps || (push.Scheme == Uri.UriSchemeHttp && push.IsLoopback)))
            throw DataTransferErrors.Invalid("hiRequest.dataPushUrl must be an absolute https URL (http only on loopback).", "hiRequest.dataPushUrl",
                DataTransferErrors.InvalidDataPushUrl);
        if (input.KeyMaterial is null) throw DataTransferErrors.Invalid("hiRequest.keyMaterial is required.", "hiRequest.keyMaterial");
        return new ValidRequest(artefact.ToString(), new DateRange(from.ToUniversalTime(), to.ToUniversalTime()), url, input.KeyMaterial);
    }

    /// <summary>The key material as a HIP will use it: ECDH, Curve25519, a point on the curve, a 32-byte nonce, unexpired.</summary>
    public static PeerKeyMaterial KeyMaterial(AbdmKeyMaterial material, TimeProvider time, TimeSpan skew)
    {
        try
        {
            return material.Validate(time, skew);
        }
        catch (FideliusException e)
        {
            throw e.Code == FideliusErrorCodes.KeyExpired
                ? DataTransferErrors.Invalid(e.Detail ?? e.Title, "hiRequest.keyMaterial.dhPublicKey.expiry", DataTransferErrors.KeyMaterialExpired)
                : DataTransferErrors.Invalid(e.Detail ?? e.Title, "hiRequest.keyMaterial", DataTransferErrors.InvalidKeyMaterial);
        }
    }

    /// <summary>The consent side: the artefact is the caller's, granted, live, and covers the requested range.</summary>
    public static SignedArtefact Consent(ConsentRecord? record, string artefactId, string hiuPartnerId, DateRange requested, DateTimeOffset now)
    {
        var artefact = record?.Artefact(artefactId);
        if (record is null || artefact is null || record.HiuPartnerId != hiuPartnerId) throw DataTransferErrors.NoSuchConsent();
        if (record.Status == ConsentStatus.Expired) throw DataTransferErrors.Expired(record.GrantedUntil ?? now);
        if (record.Status != ConsentStatus.Granted) throw DataTransferErrors.NotGranted(ConsentStatuses.Name(record.Status));
        if (record.GrantedUntil is { } until && until <= now) throw DataTransferErrors.Expired(until);
        var permitted = artefact.Detail.Permission.DateRange;
        if (requested.From < permitted.From || requested.To > permitted.To)
            throw DataTransferErrors.OutsideRange(
                $"The consent covers {AbdmTimestamp.Of(permitted.From)} to {AbdmTimestamp.Of(permitted.To)}.");
        return artefact;
    }

    /// <summary>
    /// ABDM <c>frequency {unit, value, repeats}</c>, read as: at most <c>repeats + 1</c> requests in any window of
    /// <c>value</c> <c>unit</c>s (so the common <c>HOUR, 1, 0</c> allows one request an hour). A retried request (same
    /// transaction) is not counted twice.
    /// </summary>
    public static ArtefactUsage Frequency(ArtefactUsage? usage, string artefactId, Frequency frequency, string transactionId, DateTimeOffset now)
    {
        var window = Window(frequency);
        var recent = (usage?.Uses ?? []).Where(u => u.At > now - window).ToList();
        if (recent.Any(u => u.TransactionId == transactionId)) return new ArtefactUsage(artefactId, recent);
        var allowed = frequency.Repeats + 1;
        if (recent.Count >= allowed)
        {
            var next = recent.Min(u => u.At) + window;
            throw DataTransferErrors.TooOften($"{allowed} request(s) per {frequency.Value} {frequency.Unit}; the next is allowed at {AbdmTimestamp.Of(next)}.");
        }

        return new ArtefactUsage(artefactId, [.. recent, new ArtefactUse(transactionId, now)]);
    }

    public static TimeSpan Window(Frequency frequency) => frequency.Unit switch
    {
        "HOUR" => TimeSpan.FromHours(frequency.Value),
        "DAY" => TimeSpan.FromDays(frequency.Value),
        "WEEK" => TimeSpan.FromDays(7 * frequency.Value),
        "MONTH" => TimeSpan.FromDays(30 * frequency.Value),
        "YEAR" => TimeSpan.FromDays(365 * frequency.Value),
        _ => TimeSpan.FromHours(frequency.Value),
    };
}
