using Microsoft.AspNetCore.Http;
using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>Shared steps of the patient-facing consent functions.</summary>
internal static class ConsentHttp
{
    public const string Tag = "Consent";
    public const string AbdmTag = "ABDM consent";

    /// <summary>A nominee names the patient they act for in this header (their ABHA number); the patient themselves sends none.</summary>
    public const string OnBehalfOfHeader = "X-On-Behalf-Of";

    public static Task<PatientContext> PatientAsync(HttpRequest req, ConsentManager manager, CancellationToken ct)
    {
        var caller = req.Caller();
        var number = HealthIdHttp.PatientNumber(caller).Digits;
        var onBehalfOf = req.Headers[OnBehalfOfHeader].ToString();
        string? patient = null;
        if (!string.IsNullOrWhiteSpace(onBehalfOf))
        {
            patient = Ndhm.HealthId.Numbers.AbhaNumber.TryParse(onBehalfOf.Trim(), out var parsed)
                ? parsed.Digits
                : throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "X-On-Behalf-Of is invalid.",
                    "Name the patient you act for by their ABHA number.");
        }

        return manager.ActingForAsync(caller.Subject, number, patient, ct);
    }

    /// <summary>A partner's on-notify: refused (404) unless it answers a notification sent to that partner.</summary>
    public static async Task AcknowledgeAsync(ConsentManager manager, string partnerId, string notificationRequestId, CancellationToken ct)
    {
        if (!await manager.AcknowledgeAsync(partnerId, notificationRequestId, ct))
            throw new DomainException(ErrorKind.NotFound, "CONSENT_NOTIFICATION_NOT_FOUND", "No such notification was sent to this partner.",
                "resp.requestId must be the requestId of a consent notification sent to you.",
                new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.ConsentNotFound, [ConsentErrors.Field] = "resp.requestId" });
    }

    /// <summary>A required string field of an ABDM body (400 naming it when missing).</summary>
    public static string RequiredField(string? value, string field) =>
        string.IsNullOrWhiteSpace(value)
            ? throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, $"{field} is required.", field)
            : value.Trim();

    /// <summary>Consent request and artefact ids are UUIDs; anything else names nothing (404 without a lookup).</summary>
    public static string Id(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed.ToString() : throw ConsentErrors.RequestNotFound();

    /// <summary>Subscription (request) ids are UUIDs; anything else names nothing (404 without a lookup).</summary>
    public static string SubscriptionId(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed.ToString() : throw Ndhm.Consent.Subscriptions.SubscriptionErrors.RequestNotFound();

    public static string ArtefactId(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed.ToString() : throw ConsentErrors.ConsentMissing();

    public static ConsentStatus? Status(HttpRequest req) =>
        req.Query.TryGetValue("status", out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0])
            ? ConsentStatuses.Parse(values[0])
            : null;
}
