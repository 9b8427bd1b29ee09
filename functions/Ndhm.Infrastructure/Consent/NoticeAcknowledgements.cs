using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// The life of a notice document a partner must acknowledge: its on-notify marks it acknowledged (If-Match, a lost race
/// reads again), and the consent sweep claims each resend before sending it.
/// </summary>
internal static class NoticeAcknowledgements
{
    /// <summary>The callback key of the <paramref name="resend"/>th resend of a notice: a new delivery of the same body and requestId.</summary>
    public static string ResendKey(string notificationId, int resend) => $"{notificationId}/resend-{resend}";

    /// <summary>
    /// Claims the next resend of <paramref name="notice"/> (as the sweep's query found it) by writing
    /// <paramref name="claimed"/> with If-Match: false when it was acknowledged or resent meanwhile, or another sweep won,
    /// so two sweeps never send the same resend twice.
    /// </summary>
    public static async Task<bool> TryClaimResendAsync<T>(Container container, T notice, T claimed, string id, string pk,
        Func<T, bool> isAcknowledged, Func<T, int> resends, CancellationToken ct)
    {
        return await CosmosDocuments.TryReadAsync<T>(container, id, pk, ct) is { } read
               && !isAcknowledged(read.Document) && resends(read.Document) == resends(notice)
               && (await CosmosDocuments.TryReplaceAsync(container, claimed, id, pk, read.ETag, ct)).ETag is not null;
    }

    /// <summary>True when the notice exists and <paramref name="isFor"/> the caller (now acknowledged); false otherwise.</summary>
    public static async Task<bool> AcknowledgeAsync<T>(Container container, string id, Func<T, bool> isFor, Func<T, bool> isAcknowledged,
        Func<T, T> acknowledge, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (await CosmosDocuments.TryReadAsync<T>(container, id, id, ct) is not { } read || !isFor(read.Document)) return false;
            if (isAcknowledged(read.Document)) return true;
            var (etag, status) = await CosmosDocuments.TryReplaceAsync(container, acknowledge(read.Document), id, id, read.ETag, ct);
            if (etag is not null) return true;
            if (status == HttpStatusCode.NotFound) return false;
        }

        return false;
    }
}
