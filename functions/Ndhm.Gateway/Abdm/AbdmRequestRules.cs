using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Gateway.Inbound;

namespace Ndhm.Gateway.Abdm;

/// <summary>
/// What an ABDM v0.5 request body carries besides its payload: v0.5 clients send <c>requestId</c> and
/// <c>timestamp</c> in the body; v3 clients send the <c>REQUEST-ID</c> / <c>TIMESTAMP</c> headers. Request records
/// of every ABDM endpoint implement this.
/// </summary>
public interface IAbdmRequest
{
    string? RequestId { get; }

    string? Timestamp { get; }
}

/// <summary>The request id and timestamp an ABDM request was accepted with.</summary>
public sealed record AbdmEnvelope(string RequestId, DateTimeOffset Timestamp);

/// <summary>
/// The envelope checks of every ABDM endpoint, before the payload is looked at: a request id (body or header; when
/// both, equal) that is a UUID, a timestamp (body or header; when both, the same instant) within the gateway's
/// window, and <c>X-CM-ID</c> naming this consent manager. Blank values count as absent and a missing one is
/// refused.
/// </summary>
public static class AbdmRequestRules
{
    public const string CmIdHeader = "X-CM-ID";
    public const string HiuIdHeader = "X-HIU-ID";
    public const string MismatchedRequestId = "MISMATCHED_REQUEST_ID";
    public const string MismatchedTimestamp = "MISMATCHED_TIMESTAMP";
    public const string MissingCmId = "MISSING_CM_ID";
    public const string UnknownCmId = "UNKNOWN_CM_ID";

    /// <summary>
    /// What makes two messages under one requestId the same request: the payload without its envelope. A client that
    /// retries after an outage may stamp the message again (a new <c>timestamp</c>); that is still a retry of the same
    /// request (it is run once), while another payload under the same requestId is ABDM-1064.
    /// </summary>
    public static string Fingerprint<TBody>(TBody body) where TBody : class, IAbdmRequest
    {
        var node = JsonSerializer.SerializeToNode(body, NdhmJson.Options);
        if (node is JsonObject envelope)
        {
            foreach (var name in envelope.Select(p => p.Key).Where(IsEnvelopeField).ToList()) envelope.Remove(name);
        }

        return Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(node, NdhmJson.Options)));
    }

    private static bool IsEnvelopeField(string name) =>
        name.Equals("requestId", StringComparison.OrdinalIgnoreCase) || name.Equals("timestamp", StringComparison.OrdinalIgnoreCase);

    public static AbdmEnvelope Resolve(string? headerRequestId, string? bodyRequestId, string? headerTimestamp, string? bodyTimestamp,
        string? cmId, string expectedCmId, DateTimeOffset now)
    {
        ValidateCmId(cmId, expectedCmId);
        var requestId = ResolveRequestId(headerRequestId, bodyRequestId);
        var timestamp = ResolveTimestamp(headerTimestamp, bodyTimestamp, now);
        return new AbdmEnvelope(requestId.ToString(), timestamp);
    }

    public static void ValidateCmId(string? cmId, string expectedCmId)
    {
        if (string.IsNullOrWhiteSpace(cmId))
        {
            throw AbdmErrors.Invalid(AbdmErrors.InvalidCmId, MissingCmId, $"The {CmIdHeader} header is required.",
                $"Send {CmIdHeader}: {expectedCmId}.");
        }

        if (!string.Equals(cmId.Trim(), expectedCmId, StringComparison.OrdinalIgnoreCase))
        {
            throw AbdmErrors.Invalid(AbdmErrors.InvalidCmId, UnknownCmId, $"{CmIdHeader} does not name this consent manager.",
                $"This consent manager is {expectedCmId}.");
        }
    }

    public static Guid ResolveRequestId(string? header, string? body)
    {
        var fromHeader = Blank(header) ? null : (Guid?)GatewayRequestRules.ValidateRequestId(header);
        var fromBody = Blank(body) ? null : (Guid?)GatewayRequestRules.ValidateRequestId(body);
        if (fromHeader is { } h && fromBody is { } b && h != b)
        {
            throw AbdmErrors.Invalid(AbdmErrors.InvalidRequestId, MismatchedRequestId, "REQUEST-ID and the body's requestId differ.",
                "Send the same UUID in both, or only one of them.");
        }

        return fromHeader ?? fromBody ?? GatewayRequestRules.ValidateRequestId(null);
    }

    public static DateTimeOffset ResolveTimestamp(string? header, string? body, DateTimeOffset now)
    {
        var fromHeader = Blank(header) ? null : (DateTimeOffset?)GatewayRequestRules.ValidateTimestamp(header, now);
        var fromBody = Blank(body) ? null : (DateTimeOffset?)GatewayRequestRules.ValidateTimestamp(body, now);
        // Clients round differently (seconds, milliseconds, microseconds): the same instant within a millisecond agrees.
        if (fromHeader is { } h && fromBody is { } b && (h - b).Duration() >= TimeSpan.FromMilliseconds(1))
        {
            throw AbdmErrors.Invalid(AbdmErrors.InvalidTimestamp, MismatchedTimestamp, "TIMESTAMP and the body's timestamp differ.",
                "Send the same instant in both, or only one of them.");
        }

        return fromHeader ?? fromBody ?? GatewayRequestRules.ValidateTimestamp(null, now);
    }

    /// <summary>ABDM's request-id error for a request id reused with another body or operation.</summary>
    public static DomainException DuplicateRequestId() =>
        AbdmErrors.Error(ErrorKind.Conflict, AbdmErrors.DuplicateRequestId, GatewayErrors.RequestIdReused,
            "This request id was already used for another request.",
            "Use a new requestId for every new request; repeat one only to retry the same request.");

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
