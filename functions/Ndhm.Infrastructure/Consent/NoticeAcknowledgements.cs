using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Consent;

/// <summary>A partner's on-notify marking the notice document it answers acknowledged (If-Match, a lost race reads again).</summary>
internal static class NoticeAcknowledgements
{
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
