using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Audit;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Audit;

/// <summary>An entry as stored: its place (id, pk = chain key, seq for ordering) beside the hashed entry object and its hash.</summary>
internal sealed record AuditEntryDocument(string Id, string Pk, string DocType, long Seq, JsonElement Entry, string Hash)
{
    public const string Type = "auditEntry";

    public SealedAuditEntry ToSealed() => new(Entry, Hash);
}

internal sealed record SignedHeadDocument(string Id, string Pk, string DocType, long Seq, string Hash, string Jws)
{
    public const string Type = "auditSignedHead";
    public const string FixedId = "signed-head";
}

internal sealed record DigestDocument(string Id, string Pk, string DocType, string Day, int Chains, string Jws)
{
    public const string Type = "auditDigest";
    public const string Partition = "audit-digests";
}

/// <summary>
/// The audit trail in the <c>audit</c> container. A chain is one partition (pk = chain key), so appends, the head
/// read and a chain's verification are single-partition; an entry's id is <c>{chain}:{seq, 12 digits}</c> and an
/// append is a create-only write of it (409 from Cosmos = another writer took the place). The chain's signed head is
/// one document in the chain's partition (<c>signed-head</c>); digests are in the <c>audit-digests</c> partition,
/// one per UTC day.
/// </summary>
public sealed class CosmosAuditStore(CosmosClient client, CosmosSettings settings) : IAuditEntryStore, IAuditSignatureStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Audit.Name);

    public async Task<bool> TryAppendAsync(SealedAuditEntry entry, CancellationToken ct)
    {
        var document = new AuditEntryDocument(AuditEntryId.For(entry.Chain, entry.Seq), entry.Chain, AuditEntryDocument.Type, entry.Seq,
            entry.Entry, entry.Hash);
        try
        {
            await Container.CreateItemAsync(document, new PartitionKey(document.Pk), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<SealedAuditEntry?> ReadHeadAsync(string chain, CancellationToken ct) =>
        (await QueryAsync<AuditEntryDocument>(
            new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.docType = @type ORDER BY c.seq DESC").WithParameter("@type", AuditEntryDocument.Type),
            chain, 1, ct)).FirstOrDefault()?.ToSealed();

    public async Task<SealedAuditEntry?> ReadEntryAsync(string chain, long seq, CancellationToken ct)
    {
        try
        {
            var response = await Container.ReadItemAsync<AuditEntryDocument>(AuditEntryId.For(chain, seq), new PartitionKey(chain), cancellationToken: ct);
            return response.Resource.ToSealed();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<SealedAuditEntry>> ReadChainAsync(string chain, CancellationToken ct) =>
        (await QueryAsync<AuditEntryDocument>(
            new QueryDefinition("SELECT * FROM c WHERE c.docType = @type ORDER BY c.seq").WithParameter("@type", AuditEntryDocument.Type),
            chain, int.MaxValue, ct)).Select(d => d.ToSealed()).ToList();

    public async Task<IReadOnlyList<SealedAuditEntry>> ReadNewestFirstAsync(string chain, long? beforeSeq, int take, CancellationToken ct)
    {
        var sql = $"SELECT TOP {take} * FROM c WHERE c.docType = @type{(beforeSeq is null ? "" : " AND c.seq < @before")} ORDER BY c.seq DESC";
        var query = new QueryDefinition(sql).WithParameter("@type", AuditEntryDocument.Type);
        if (beforeSeq is { } before)
        {
            query = query.WithParameter("@before", before);
        }

        return (await QueryAsync<AuditEntryDocument>(query, chain, take, ct)).Select(d => d.ToSealed()).ToList();
    }

    public async Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken ct) =>
        await QueryAsync<string>(
            new QueryDefinition("SELECT VALUE c.pk FROM c WHERE c.docType = @type AND c.seq = 1").WithParameter("@type", AuditEntryDocument.Type),
            null, int.MaxValue, ct);

    public async Task<SignedAuditHead?> ReadSignedHeadAsync(string chain, CancellationToken ct)
    {
        try
        {
            var d = (await Container.ReadItemAsync<SignedHeadDocument>(SignedHeadDocument.FixedId, new PartitionKey(chain), cancellationToken: ct)).Resource;
            return new SignedAuditHead(d.Pk, d.Seq, d.Hash, d.Jws);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    // Upserts: a signing run replaces the chain's previous signature; two runs racing both write a valid signature.
    public async Task SaveSignedHeadAsync(SignedAuditHead head, CancellationToken ct) =>
        await Container.UpsertItemAsync(new SignedHeadDocument(SignedHeadDocument.FixedId, head.Chain, SignedHeadDocument.Type, head.Seq, head.Hash, head.Jws),
            new PartitionKey(head.Chain), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);

    public async Task SaveDigestAsync(SignedAuditDigest digest, CancellationToken ct) =>
        await Container.UpsertItemAsync(new DigestDocument("digest-" + digest.Day, DigestDocument.Partition, DigestDocument.Type, digest.Day, digest.Chains, digest.Jws),
            new PartitionKey(DigestDocument.Partition), new ItemRequestOptions { EnableContentResponseOnWrite = false }, ct);

    public async Task<SignedAuditDigest?> ReadLatestDigestAsync(CancellationToken ct) =>
        (await QueryAsync<DigestDocument>(
            new QueryDefinition("SELECT TOP 1 * FROM c WHERE c.docType = @type ORDER BY c.day DESC").WithParameter("@type", DigestDocument.Type),
            DigestDocument.Partition, 1, ct)).Select(d => new SignedAuditDigest(d.Day, d.Chains, d.Jws)).FirstOrDefault();

    private async Task<List<T>> QueryAsync<T>(QueryDefinition query, string? partition, int take, CancellationToken ct)
    {
        var options = new QueryRequestOptions { MaxItemCount = Math.Min(take, 500) };
        if (partition is not null)
        {
            options.PartitionKey = new PartitionKey(partition);
        }

        var results = new List<T>();
        using var iterator = Container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (iterator.HasMoreResults && results.Count < take)
        {
            results.AddRange(await iterator.ReadNextAsync(ct));
        }

        return results.Count > take ? results[..take] : results;
    }
}
