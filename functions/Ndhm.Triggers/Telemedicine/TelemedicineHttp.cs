using Microsoft.AspNetCore.Http;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Registry.Professionals;
using Ndhm.Telemedicine;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>Who is calling a teleconsultation endpoint: a doctor (TELECONSULT token carrying the doctor's HPR id) or a patient.</summary>
internal static class TelemedicineHttp
{
    public const string Tag = "Telemedicine";

    /// <summary>The claim naming the doctor, as the doctor's login (HPR) asserts it; the sandbox's tokens take it as <c>hprId</c>.</summary>
    public const string HprIdClaim = "hprId";

    public static string Doctor(HttpRequest req)
    {
        var caller = req.Caller();
        return caller.IsInRole(Roles.Teleconsult) && caller.Claims.TryGetValue(HprIdClaim, out var claimed) && HprId.TryParse(claimed, out var hprId)
            ? hprId.Value
            : throw new DomainException(ErrorKind.Forbidden, TelemedicineErrors.NotADoctor, "Not a doctor's token.",
                "Doctors call this with a TELECONSULT token that names their HPR id (claim hprId).");
    }

    public static string Patient(HttpRequest req) => HealthIdHttp.PatientNumber(req.Caller()).Digits;

    public static Participant Participant(HttpRequest req) =>
        req.Caller().IsInRole(Roles.Patient) ? Ndhm.Telemedicine.Participant.Patient(Patient(req)) : Ndhm.Telemedicine.Participant.Doctor(Doctor(req));

    /// <summary>The bearer token of a request the signalling service authorises itself (the join token); null when there is none.</summary>
    public static string? JoinToken(HttpRequest req)
    {
        const string scheme = "Bearer ";
        var header = req.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length ? header[scheme.Length..].Trim() : null;
    }

    public static DateTimeOffset? Time(HttpRequest req, string name)
    {
        var value = req.Query[name].ToString();
        if (string.IsNullOrEmpty(value)) return null;
        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidSearch, $"{name} must be an ISO 8601 time.", name);
    }
}
