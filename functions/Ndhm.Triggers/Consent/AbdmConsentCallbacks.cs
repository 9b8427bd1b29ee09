using System.Globalization;
using System.Text.Json;
using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Gateway.Callbacks;
using Ndhm.Triggers.Gateway;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// The consent callbacks to the calling partner's bridge, in ABDM's shape: their own <c>requestId</c> and
/// <c>timestamp</c>, <c>resp.requestId</c> answering the request, and on failure <c>error {code, message}</c> with
/// ABDM's code (our stable code in the message).
/// </summary>
public sealed class AbdmConsentCallbacks(ICallbackDispatcher callbacks, TimeProvider time)
{
    public Task SendAsync(InboundRequest inbound, string path, IReadOnlyDictionary<string, object?> payload, CancellationToken ct)
    {
        var body = new Dictionary<string, object?>
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["timestamp"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in payload) body[key] = value;
        body["resp"] = new { requestId = inbound.RequestId };
        return callbacks.EnqueueAsync(inbound.Caller.Subject, path, JsonSerializer.Serialize(body, NdhmJson.Options), inbound.RequestId,
            Heartbeat.PartnerHeaders(inbound), ct);
    }

    public static IReadOnlyDictionary<string, object?> Error(DomainException e) => new Dictionary<string, object?>
    {
        ["error"] = new AbdmError(
            e.Extensions.TryGetValue(ConsentErrors.AbdmCode, out var abdm) && abdm is string code ? code : ConsentErrors.Abdm.InvalidRequest,
            $"{e.Code}: {e.Detail ?? e.Title}"),
    };
}
