using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Privacy;

/// <summary>
/// Encrypts, in place, personal fields that earlier versions of the platform stored in plaintext (a
/// <see cref="FieldEncryptionPlan"/>). Safe while the platform serves: each document is written back with If-Match
/// on the ETag it was read with, and a document changed meanwhile is read again and re-checked, so a concurrent
/// update is never overwritten. Idempotent (fields already encrypted are left alone) and resumable (documents are
/// visited in id order and the last id finished is checkpointed after each page; a finished plan is not rerun).
/// </summary>
public sealed class CosmosFieldEncryptionMigration(CosmosClient client, CosmosSettings settings, PlaintextFieldEncryptor encryptor,
    IRunCheckpoints checkpoints, TimeProvider time)
{
    public const int DefaultPageSize = 100;
    private static readonly string[] SystemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts"];

    public async Task<RunReport> RunAsync(FieldEncryptionPlan plan, CancellationToken ct, int pageSize = DefaultPageSize, int? maxPages = null)
    {
        var container = client.GetContainer(settings.Database, plan.Container);
        var name = "encrypt-fields:" + plan.Name;
        var saved = await checkpoints.FindAsync(name, ct).ConfigureAwait(false);
        var (checkpoint, etag) = (saved?.Value ?? new RunCheckpoint(name, null, false, 0, 0, time.GetUtcNow()), saved?.ETag);
        for (var page = 0; !checkpoint.Completed && (maxPages is null || page < maxPages); page++)
        {
            var documents = await PageAsync(container, plan, checkpoint.After, pageSize, ct).ConfigureAwait(false);
            var changed = 0;
            foreach (var document in documents)
            {
                if (await EncryptAsync(container, plan, document, ct).ConfigureAwait(false)) changed++;
            }

            var written = await checkpoints.TrySaveAsync(checkpoint with
            {
                After = documents.Count > 0 ? documents[^1]["id"]!.GetValue<string>() : checkpoint.After,
                Completed = documents.Count < pageSize,
                Visited = checkpoint.Visited + documents.Count,
                Changed = checkpoint.Changed + changed,
                UpdatedAt = time.GetUtcNow(),
            }, etag, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"Another run of {name} advanced its checkpoint; this run stops.");
            (checkpoint, etag) = (written.Value, written.ETag);
        }

        return new RunReport(name, checkpoint.Visited, checkpoint.Changed, checkpoint.Completed);
    }

    private async Task<bool> EncryptAsync(Container container, FieldEncryptionPlan plan, JsonObject document, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var id = document["id"]!.GetValue<string>();
            var pk = document["pk"]?.GetValue<string>() ?? throw new InvalidOperationException("The document has no pk.");
            var etag = document["_etag"]?.GetValue<string>();
            if (!await encryptor.EncryptInPlaceAsync(plan, document, ct).ConfigureAwait(false)) return false;
            foreach (var property in SystemProperties) document.Remove(property);
            using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document));
            using var written = await container.ReplaceItemStreamAsync(body, id, new PartitionKey(pk),
                new ItemRequestOptions { IfMatchEtag = etag }, ct).ConfigureAwait(false);
            if (written.IsSuccessStatusCode) return true;
            if (written.StatusCode == HttpStatusCode.NotFound) return false; // deleted meanwhile: nothing left to protect
            if (written.StatusCode != HttpStatusCode.PreconditionFailed) written.EnsureSuccessStatusCode();
            // Updated meanwhile (perhaps already encrypted by the new code): read it again and re-check.
            using var reread = await container.ReadItemStreamAsync(id, new PartitionKey(pk), cancellationToken: ct).ConfigureAwait(false);
            if (reread.StatusCode == HttpStatusCode.NotFound) return false;
            reread.EnsureSuccessStatusCode();
            document = (await JsonNode.ParseAsync(reread.Content, cancellationToken: ct).ConfigureAwait(false))!.AsObject();
        }

        throw new InvalidOperationException("A document kept changing while its fields were being encrypted; the next run retries it.");
    }

    private static async Task<List<JsonObject>> PageAsync(Container container, FieldEncryptionPlan plan, string? after, int take, CancellationToken ct)
    {
        if (!plan.DocTypeProperty.All(char.IsAsciiLetterOrDigit)) throw new ArgumentException("The plan's type property is not a plain property name.");
        var query = new QueryDefinition(
                $"SELECT TOP {take.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.{plan.DocTypeProperty} = @type AND c.id > @after ORDER BY c.id")
            .WithParameter("@type", plan.DocType)
            .WithParameter("@after", after ?? "");
        var documents = new List<JsonObject>(take);
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { MaxItemCount = take });
        while (iterator.HasMoreResults && documents.Count < take)
        {
            using var response = await iterator.ReadNextAsync(ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var page = (await JsonNode.ParseAsync(response.Content, cancellationToken: ct).ConfigureAwait(false))!;
            documents.AddRange(page["Documents"]!.AsArray().Select(d => d!.AsObject()));
        }

        return documents;
    }
}
