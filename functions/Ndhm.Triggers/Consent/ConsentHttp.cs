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

    /// <summary>Consent request and artefact ids are UUIDs; anything else names nothing (404 without a lookup).</summary>
    public static string Id(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed.ToString() : throw ConsentErrors.RequestNotFound();

    public static string ArtefactId(string id) =>
        Guid.TryParse(id, out var parsed) ? parsed.ToString() : throw ConsentErrors.ConsentMissing();

    public static ConsentStatus? Status(HttpRequest req) =>
        req.Query.TryGetValue("status", out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0])
            ? ConsentStatuses.Parse(values[0])
            : null;
}
