using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Partners;

namespace Ndhm.Gateway.Abdm;

/// <summary>
/// Who a callback goes to and in which role: the partner's client id (its bridge URL is looked up at delivery), and
/// the facility or HIU id to name in <c>X-HIP-ID</c> or <c>X-HIU-ID</c> (ABDM sends one of them, never both).
/// </summary>
public sealed record AbdmParty(string PartnerId, string? HipId = null, string? HiuId = null)
{
    public static AbdmParty Hip(string partnerId, string hipId) => new(partnerId, HipId: hipId);

    public static AbdmParty Hiu(string partnerId, string hiuId) => new(partnerId, HiuId: hiuId);
}

/// <summary>
/// Sends ABDM messages to partners' bridges through the callback machinery (recorded, retried, dead-lettered):
/// <list type="bullet">
/// <item><see cref="ReplyAsync"/>: the answer to a request (<c>on-...</c>), with a fresh <c>requestId</c> and
/// <c>timestamp</c>, the result's fields, and <c>resp.requestId</c> naming the request;</item>
/// <item><see cref="ReplyErrorAsync"/>: the same with <c>error: {code, message}</c> instead of a result;</item>
/// <item><see cref="NotifyAsync"/>: a message the platform starts (<c>consents/hip/notify</c>, <c>users/auth/notify</c>),
/// without <c>resp</c>.</item>
/// </list>
/// Bodies are serialised with the platform's JSON convention (camelCase, nulls left out); enums that ABDM spells
/// <c>MOBILE_OTP</c> are strings, or enums with <c>[JsonStringEnumMemberName("MOBILE_OTP")]</c> on each member.
/// Headers: <c>X-CM-ID</c> always; <c>X-HIP-ID</c> or <c>X-HIU-ID</c> from the <see cref="AbdmParty"/>; <c>REQUEST-ID</c> = the body's requestId.
/// </summary>
public sealed class AbdmCallbacks(ICallbackDispatcher dispatcher, AbdmSettings settings, TimeProvider time)
{
    /// <summary>Sent equal to the body's requestId, so a v3 bridge reading the header sees the same id (TIMESTAMP stays per attempt).</summary>
    public const string RequestIdHeader = "REQUEST-ID";

    /// <summary>Answers request <paramref name="answersRequestId"/> at <paramref name="path"/> (e.g. <c>/v0.5/users/auth/on-init</c>).</summary>
    /// <param name="result">An object whose JSON properties go beside requestId/timestamp/resp (e.g. <c>new { auth = ... }</c>).</param>
    /// <returns>The delivery id. Answering the same request at the same path again is the same delivery (no second message).</returns>
    public Task<string> ReplyAsync(AbdmParty to, string path, string answersRequestId, object result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        var body = Envelope(Guid.NewGuid().ToString());
        Merge(body, result);
        body["resp"] = new JsonObject { ["requestId"] = answersRequestId };
        return SendAsync(to, path, body, answersRequestId, null, ct);
    }

    /// <summary>Answers request <paramref name="answersRequestId"/> with ABDM's <c>error</c> object.</summary>
    public Task<string> ReplyErrorAsync(AbdmParty to, string path, string answersRequestId, AbdmError error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = Envelope(Guid.NewGuid().ToString());
        body["error"] = JsonSerializer.SerializeToNode(error, NdhmJson.Options);
        body["resp"] = new JsonObject { ["requestId"] = answersRequestId };
        return SendAsync(to, path, body, answersRequestId, null, ct);
    }

    /// <inheritdoc cref="ReplyErrorAsync(AbdmParty,string,string,AbdmError,CancellationToken)"/>
    public Task<string> ReplyErrorAsync(AbdmParty to, string path, string answersRequestId, DomainException error, CancellationToken ct) =>
        ReplyErrorAsync(to, path, answersRequestId, AbdmErrors.ToAbdmError(error), ct);

    /// <summary>
    /// Runs <paramref name="produce"/> and replies with its result, or, when it fails with a
    /// <see cref="DomainException"/> the partner can act on, with that error (ABDM code and message). Dependency
    /// failures (the platform's, not the partner's) propagate, so the request is retried rather than answered wrongly.
    /// </summary>
    public async Task<string> AnswerAsync(AbdmParty to, string path, string answersRequestId, Func<Task<object>> produce, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(produce);
        object result;
        try
        {
            result = await produce().ConfigureAwait(false);
        }
        catch (DomainException e) when (e.Kind is not ErrorKind.DependencyUnavailable)
        {
            return await ReplyErrorAsync(to, path, answersRequestId, e, ct).ConfigureAwait(false);
        }

        return await ReplyAsync(to, path, answersRequestId, result, ct).ConfigureAwait(false);
    }

    /// <summary>A message the platform starts. <paramref name="requestId"/> is its own requestId (the partner's
    /// on-notify answers it in <c>resp.requestId</c>); passing the same one again is the same delivery.</summary>
    public Task<string> NotifyAsync(AbdmParty to, string path, string requestId, object message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = Envelope(requestId);
        Merge(body, message);
        return SendAsync(to, path, body, requestId, null, ct);
    }

    /// <summary>
    /// As <see cref="NotifyAsync"/>, attempted only once the reply at <paramref name="afterReply"/> (see
    /// <see cref="ReplyKey"/>) is delivered or given up, even when that reply goes to another partner.
    /// </summary>
    public Task<string> NotifyAfterAsync(AbdmParty to, string path, string requestId, object message, DeliveryKey afterReply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(afterReply);
        var body = Envelope(requestId);
        Merge(body, message);
        return SendAsync(to, path, body, requestId, afterReply, ct);
    }

    /// <summary>The delivery of the reply to <paramref name="partnerId"/>'s request <paramref name="answersRequestId"/> at <paramref name="path"/>.</summary>
    public static DeliveryKey ReplyKey(string partnerId, string answersRequestId, string path) =>
        new(partnerId, CallbackDispatcher.DeliveryIdFor(partnerId, answersRequestId, path));

    /// <summary>ABDM's timestamp form: UTC, milliseconds, <c>Z</c>.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        AbdmTimestamp.Of(at);

    public IReadOnlyDictionary<string, string> HeadersFor(AbdmParty to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var headers = new Dictionary<string, string> { [AbdmRequestRules.CmIdHeader] = settings.CmId };
        if (to.HipId is { } hip) headers[HipFacilities.Header] = hip;
        else if (to.HiuId is { } hiu) headers[AbdmRequestRules.HiuIdHeader] = hiu;
        return headers;
    }

    private JsonObject Envelope(string requestId) => new()
    {
        ["requestId"] = requestId,
        ["timestamp"] = Timestamp(time.GetUtcNow()),
    };

    private static void Merge(JsonObject body, object fields)
    {
        if (JsonSerializer.SerializeToNode(fields, fields.GetType(), NdhmJson.Options) is not JsonObject extra)
        {
            throw new ArgumentException("An ABDM message's fields must serialise to a JSON object.", nameof(fields));
        }

        foreach (var (name, value) in extra.ToList())
        {
            if (name is "requestId" or "timestamp" or "resp") continue;
            extra.Remove(name);
            body[name] = value;
        }
    }

    private Task<string> SendAsync(AbdmParty to, string path, JsonObject body, string dedupeKey, DeliveryKey? after, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(to);
        var headers = new Dictionary<string, string>(HeadersFor(to)) { [RequestIdHeader] = (string)body["requestId"]! };
        return after is null
            ? dispatcher.EnqueueAsync(to.PartnerId, path, body.ToJsonString(NdhmJson.Options), dedupeKey, headers, ct)
            : dispatcher.EnqueueAfterAsync(to.PartnerId, path, body.ToJsonString(NdhmJson.Options), dedupeKey, headers, after, ct);
    }
}
