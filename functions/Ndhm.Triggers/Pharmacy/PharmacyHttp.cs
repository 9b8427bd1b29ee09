using System.Globalization;
using Microsoft.AspNetCore.Http;
using Ndhm.Core.Errors;
using Ndhm.Pharmacy;
using Ndhm.Registry.Professionals;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>Shared steps of the e-prescription and pharmacy functions: who the caller is, ids, query strings.</summary>
internal static class PharmacyHttp
{
    public const string Tag = "E-prescriptions and pharmacy";

    public static string PatientNumber(HttpRequest req) => HealthIdHttp.PatientNumber(req.Caller()).Digits;

    /// <summary>A pharmacy partner acts as itself: its partner-session client id (a sandbox token: its subject).</summary>
    public static string PartnerId(HttpRequest req)
    {
        var caller = req.Caller();
        return caller.ClientId ?? caller.Subject;
    }

    /// <summary>A doctor's token names them by HPR id (its subject).</summary>
    public static string DoctorHprId(HttpRequest req) =>
        HprId.TryParse(req.Caller().Subject, out var id)
            ? id.Value
            : throw new DomainException(ErrorKind.Forbidden, ErrorCodes.Forbidden, "Not a practitioner token.", "The token's subject is not an HPR id.");

    /// <summary>The caller's HPR id when the token names one, else null.</summary>
    public static string? OptionalDoctorHprId(HttpRequest req) => HprId.TryParse(req.Caller().Subject, out var id) ? id.Value : null;

    /// <summary>Prescription, share and order ids are UUIDs; anything else names nothing (404 without a lookup).</summary>
    public static string Id(string id, Func<DomainException> missing) =>
        Guid.TryParse(id, out var parsed) ? parsed.ToString() : throw missing();

    public static DateTimeOffset? Time(HttpRequest req, string name) =>
        req.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0])
            ? DateTimeOffset.TryParse(values[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw PharmacyErrors.Invalid(PharmacyErrors.InvalidRegisterQuery, $"{name} is an ISO 8601 date-time.", name)
            : null;

    public static int? Int(HttpRequest req, string name) =>
        req.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0])
            ? int.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw PharmacyErrors.Invalid(PharmacyErrors.InvalidRegisterQuery, $"{name} is an integer.", name)
            : null;
}
