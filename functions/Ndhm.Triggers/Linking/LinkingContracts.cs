using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.HealthId;

namespace Ndhm.Triggers.Linking;

public sealed record DiscoverRequest(string? HipId);

public sealed record DiscoveryResponse(string TransactionId, string HipId, string Status, DateTimeOffset DeadlineAt, HipPatient? Patient = null,
    AbdmError? Error = null)
{
    public static DiscoveryResponse From(DiscoverySession s, DateTimeOffset now) =>
        new(s.TransactionId, s.HipId, LinkingHttp.Upper(s.StatusAt(now)), s.DeadlineAt, s.Patient, s.ErrorAt(now));
}

public sealed record LinkInitRequest(string? TransactionId, IReadOnlyList<string>? CareContexts);

public sealed record LinkConfirmRequest(string? Otp);

public sealed record LinkRequestResponse(string LinkRequestId, string TransactionId, string HipId, string Status, IReadOnlyList<CareContext> CareContexts,
    string? LinkRefNumber = null, string? AuthenticationType = null, string? CommunicationMedium = null, string? CommunicationHint = null,
    DateTimeOffset? OtpExpiresAt = null, AbdmError? Error = null, IReadOnlyList<CareContext>? Linked = null)
{
    public static LinkRequestResponse From(LinkRequest r) =>
        new(r.Id, r.TransactionId, r.HipId, LinkingHttp.Upper(r.Status), r.CareContexts, r.LinkRefNumber,
            r.Authentication is { } a ? LinkingHttp.Upper(a) : null, r.CommunicationMedium, r.CommunicationHint, r.OtpExpiresAt, r.Error, r.Linked);
}

public sealed record LinkedHip(string HipId, string PatientReference, string PatientDisplay, IReadOnlyList<LinkedContext> CareContexts);

public sealed record LinkedHipsResponse(IReadOnlyList<LinkedHip> Hips);

internal static class LinkingHttp
{
    public const string PatientTag = "Linking (patient)";
    public const string PartnerTag = "Linking (ABDM v0.5)";

    public static string Patient(CallerIdentity caller) => HealthIdHttp.PatientNumber(caller).Digits;

    public static string Upper<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonSerializer.Serialize(value, Ndhm.Core.Json.NdhmJson.Options).Trim('"');

    public static ObjectResult Accepted(object body) => new(body) { StatusCode = 202 };
}
