using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Ids;
using Ndhm.Core.Json;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Linking;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Linking;

/// <summary>
/// Linking's documents in the <c>consents</c> container. A patient's links, link requests and open-discovery guards
/// share one partition, <c>links:&lt;HMAC of the ABHA number&gt;</c> (the identity-hash key of Health ID, label
/// <c>link-patient:</c>), so listing a patient's links is one single-partition query; a discovery has its own partition
/// (<c>discovery:&lt;transactionId&gt;</c>, read by the HIP's answer); a link token's is its SHA-256.
/// The HIP's patient reference and display name and the care contexts (references, names, hiTypes) are encrypted
/// with the patient's data key (<see cref="LinkingFields"/>); the ABHA number stays plain as the key's scope, as in
/// Health ID's own documents. Ids built from a HIP id use its SHA-256, so any HIP id is a safe document id.
/// </summary>
public sealed class CosmosCareContextLinkStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher, IHealthIdKeySource keys)
    : ICareContextLinkStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    private static DomainException Changed() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The link changed meanwhile; retry.");

    private static DomainException Missing() => LinkingErrors.NoSuchLinkRequest();

    public async Task<bool> TryOpenDiscoveryAsync(DiscoverySession session, DateTimeOffset now, CancellationToken ct)
    {
        var pk = await PatientPartitionAsync(session.AbhaNumber, ct);
        var guardId = "discovery-open:" + Sha(session.HipId);
        var guard = new DiscoveryGuardDocument(guardId, pk, "discovery-guard", session.TransactionId, session.DeadlineAt);
        var existing = await CosmosDocuments.TryReadAsync<DiscoveryGuardDocument>(Container, guardId, pk, ct);
        if (existing is null)
        {
            if (await CosmosDocuments.TryCreateAsync(Container, guard, pk, ct) is null) return false;
        }
        else
        {
            if (existing.Value.Document.DeadlineAt > now) return false;
            var (etag, _) = await CosmosDocuments.TryReplaceAsync(Container, guard, guardId, pk, existing.Value.ETag, ct);
            if (etag is null) return false;
        }

        await CosmosDocuments.CreateAsync(Container, await DiscoveryDocumentAsync(session, ct), DiscoveryKey(session.TransactionId),
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "Discovery exists."), ct);
        return true;
    }

    public async Task<Versioned<DiscoverySession>?> FindDiscoveryAsync(string transactionId, CancellationToken ct)
    {
        if (!Guid.TryParse(transactionId, out _)) return null;
        var key = DiscoveryKey(transactionId);
        return await CosmosDocuments.TryReadAsync<DiscoveryDocument>(Container, key, key, ct) is { } read
            ? new Versioned<DiscoverySession>(await SessionAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<string> ReplaceDiscoveryAsync(DiscoverySession session, string ifMatch, CancellationToken ct)
    {
        var key = DiscoveryKey(session.TransactionId);
        return await CosmosDocuments.ReplaceAsync(Container, await DiscoveryDocumentAsync(session, ct), key, key, ifMatch, Changed,
            LinkingErrors.NoSuchDiscovery, ct);
    }

    public async Task CloseDiscoveryAsync(DiscoverySession session, CancellationToken ct)
    {
        var pk = await PatientPartitionAsync(session.AbhaNumber, ct);
        var guardId = "discovery-open:" + Sha(session.HipId);
        if (await CosmosDocuments.TryReadAsync<DiscoveryGuardDocument>(Container, guardId, pk, ct) is { } guard &&
            guard.Document.TransactionId == session.TransactionId)
        {
            await CosmosDocuments.TryDeleteAsync(Container, guardId, pk, guard.ETag, ct);
        }
    }

    public async Task CreateLinkRequestAsync(LinkRequest request, CancellationToken ct)
    {
        var document = await LinkRequestDocumentAsync(request, ct);
        await CosmosDocuments.CreateAsync(Container, document, document.Pk, Changed, ct);
    }

    public async Task<Versioned<LinkRequest>?> FindLinkRequestAsync(string abhaNumber, string linkRequestId, CancellationToken ct)
    {
        if (!Guid.TryParse(linkRequestId, out _)) return null;
        var pk = await PatientPartitionAsync(abhaNumber, ct);
        return await CosmosDocuments.TryReadAsync<LinkRequestDocument>(Container, LinkRequestKey(linkRequestId), pk, ct) is { } read &&
               read.Document.AbhaNumber == abhaNumber
            ? new Versioned<LinkRequest>(await LinkRequestAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<Versioned<LinkRequest>?> FindLinkRequestByOutboundRequestAsync(string requestId, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'link-request' AND ARRAY_CONTAINS(c.outboundRequestIds, @id)")
            .WithParameter("@id", requestId);
        var found = await CosmosDocuments.QueryAsync<JsonElement>(Container, query, 1, partitionKey: null, ct);
        return found.Count == 0 ? null : await VersionedLinkRequestAsync(found[0], ct);
    }

    public async Task<IReadOnlyList<Versioned<LinkRequest>>> FindLinkRequestsByReferenceAsync(string abhaNumber, string linkRefNumber,
        CancellationToken ct)
    {
        var pk = await PatientPartitionAsync(abhaNumber, ct);
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.type = 'link-request' AND c.linkRefNumber = @ref AND c.abhaNumber = @abha ORDER BY c.createdAt DESC")
            .WithParameter("@ref", linkRefNumber).WithParameter("@abha", abhaNumber);
        var found = await CosmosDocuments.QueryAsync<JsonElement>(Container, query, 20, pk, ct);
        var result = new List<Versioned<LinkRequest>>();
        foreach (var element in found) result.Add(await VersionedLinkRequestAsync(element, ct));
        return result;
    }

    public async Task<string> ReplaceLinkRequestAsync(LinkRequest request, string ifMatch, CancellationToken ct)
    {
        var document = await LinkRequestDocumentAsync(request, ct);
        return await CosmosDocuments.ReplaceAsync(Container, document, document.Id, document.Pk, ifMatch, Changed, Missing, ct);
    }

    public async Task<Versioned<CareContextLinks>?> FindLinksAsync(string abhaNumber, string hipId, CancellationToken ct)
    {
        var pk = await PatientPartitionAsync(abhaNumber, ct);
        return await CosmosDocuments.TryReadAsync<LinksDocument>(Container, LinksKey(hipId), pk, ct) is { } read && read.Document.AbhaNumber == abhaNumber
            ? new Versioned<CareContextLinks>(await LinksAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<IReadOnlyList<CareContextLinks>> ListLinksAsync(string abhaNumber, CancellationToken ct)
    {
        var pk = await PatientPartitionAsync(abhaNumber, ct);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'care-context-links' AND c.abhaNumber = @abha ORDER BY c.hipId")
            .WithParameter("@abha", abhaNumber);
        var documents = await CosmosDocuments.QueryAsync<LinksDocument>(Container, query, 500, pk, ct);
        var result = new List<CareContextLinks>();
        foreach (var document in documents)
        {
            var links = await LinksAsync(document, ct);
            if (links.CareContexts.Count > 0) result.Add(links);
        }

        return result;
    }

    public async Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct)
    {
        var document = await LinksDocumentAsync(links, ct);
        return ifMatch is null
            ? await CosmosDocuments.CreateAsync(Container, document, document.Pk, Changed, ct)
            : await CosmosDocuments.ReplaceAsync(Container, document, document.Id, document.Pk, ifMatch, Changed, Changed, ct);
    }

    /// <summary>Removes a patient's links document at a HIP (If-Match); false when it changed or is gone.</summary>
    public async Task<bool> DeleteLinksAsync(string abhaNumber, string hipId, string ifMatch, CancellationToken ct) =>
        await CosmosDocuments.TryDeleteAsync(Container, LinksKey(hipId), await PatientPartitionAsync(abhaNumber, ct), ifMatch, ct);

    /// <summary>
    /// Links documents stored under a HIP partner's client id (<c>hipId</c> = <c>partnerId</c>: the shape before one
    /// HIP id), of whole patient partitions after <paramref name="afterPartition"/>, in partition order: at least
    /// <paramref name="max"/> documents unless fewer remain. The migration's cursor is the last partition.
    /// </summary>
    public async Task<IReadOnlyList<(string Partition, string AbhaNumber, string HipId, string PartnerId)>> ListPartnerKeyedLinksAsync(
        string? afterPartition, int max, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @max c.pk, c.abhaNumber, c.hipId, c.partnerId FROM c WHERE c.type = 'care-context-links' " +
                                        "AND c.hipId = c.partnerId AND c.pk > @after ORDER BY c.pk")
            .WithParameter("@max", max).WithParameter("@after", afterPartition ?? "");
        var page = await CosmosDocuments.QueryAsync<JsonElement>(Container, query, max, partitionKey: null, ct);
        var found = page.Select(Row).ToList();
        if (page.Count == max)
        {
            // The last partition may have more such documents than the page held: take all of it, so the cursor is exact.
            var last = found[^1].Partition;
            var rest = new QueryDefinition("SELECT c.pk, c.abhaNumber, c.hipId, c.partnerId FROM c WHERE c.type = 'care-context-links' AND c.hipId = c.partnerId");
            found = [.. found.Where(f => f.Partition != last), .. (await CosmosDocuments.QueryAsync<JsonElement>(Container, rest, null, last, ct)).Select(Row)];
        }

        return found;

        static (string Partition, string AbhaNumber, string HipId, string PartnerId) Row(JsonElement e) => (e.GetProperty("pk").GetString()!, e.GetProperty("abhaNumber").GetString()!,
            e.GetProperty("hipId").GetString()!, e.GetProperty("partnerId").GetString()!);
    }

    public async Task SaveLinkTokenAsync(LinkToken token, CancellationToken ct)
    {
        var key = "link-token:" + token.TokenHash;
        await CosmosDocuments.CreateAsync(Container, new LinkTokenDocument(key, key, "link-token", token), key, Changed, ct);
    }

    public async Task<LinkToken?> FindLinkTokenAsync(string tokenHash, CancellationToken ct)
    {
        var key = "link-token:" + tokenHash;
        return DocumentIds.IsSafe(key) && await CosmosDocuments.FindAsync<LinkTokenDocument>(Container, key, key, ct) is { } found ? found.Token : null;
    }

    // --- documents ---

    private static string DiscoveryKey(string transactionId) => "discovery:" + transactionId;

    private static string LinkRequestKey(string id) => "link-request:" + id;

    private static string LinksKey(string hipId) => "links:" + Sha(hipId);

    private static string Sha(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private async Task<string> PatientPartitionAsync(string abhaNumber, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct);
        return "links:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("link-patient:" + abhaNumber)));
    }

    private Task<string> SealAsync<T>(string abhaNumber, string id, string field, T value, CancellationToken ct) =>
        cipher.EncryptAsync(LinkingFields.ScopeOf(abhaNumber), id, field, JsonSerializer.Serialize(value, NdhmJson.Options), ct);

    private async Task<T?> OpenAsync<T>(string abhaNumber, string id, string field, string? sealedValue, CancellationToken ct) =>
        sealedValue is null
            ? default
            : JsonSerializer.Deserialize<T>(await cipher.DecryptAsync(LinkingFields.ScopeOf(abhaNumber), id, field, sealedValue, ct), NdhmJson.Options);

    private async Task<DiscoveryDocument> DiscoveryDocumentAsync(DiscoverySession s, CancellationToken ct)
    {
        var id = DiscoveryKey(s.TransactionId);
        return new DiscoveryDocument(id, id, "discovery", s.TransactionId, s.AbhaNumber, s.AbhaAddress, s.HipId, s.PartnerId, s.RequestId,
            s.CreatedAt, s.DeadlineAt, s.Status, s.Patient is null ? null : await SealAsync(s.AbhaNumber, id, LinkingFields.DiscoveredPatient, s.Patient, ct),
            s.Error, s.AnsweredAt);
    }

    private async Task<DiscoverySession> SessionAsync(DiscoveryDocument d, CancellationToken ct) => new()
    {
        TransactionId = d.TransactionId, AbhaNumber = d.AbhaNumber, AbhaAddress = d.AbhaAddress, HipId = d.HipId, PartnerId = d.PartnerId,
        RequestId = d.RequestId, CreatedAt = d.CreatedAt, DeadlineAt = d.DeadlineAt, Status = d.Status, Error = d.Error, AnsweredAt = d.AnsweredAt,
        Patient = await OpenAsync<HipPatient>(d.AbhaNumber, d.Id, LinkingFields.DiscoveredPatient, d.Patient, ct),
    };

    private async Task<LinkRequestDocument> LinkRequestDocumentAsync(LinkRequest r, CancellationToken ct)
    {
        var id = LinkRequestKey(r.Id);
        return new LinkRequestDocument(id, await PatientPartitionAsync(r.AbhaNumber, ct), "link-request", r.Id, r.AbhaNumber, r.AbhaAddress, r.HipId,
            r.PartnerId, r.TransactionId, await SealAsync(r.AbhaNumber, id, LinkingFields.PatientReference, r.PatientReference, ct),
            await SealAsync(r.AbhaNumber, id, LinkingFields.CareContexts, r.CareContexts, ct), r.InitRequestId, r.ConfirmRequestId,
            r.OutboundRequestIds.ToList(), r.CreatedAt, r.Status, r.LinkRefNumber, r.Authentication, r.CommunicationMedium,
            r.CommunicationHint, r.OtpExpiresAt, r.PlatformOtpTxnId, r.Error,
            r.Linked is null ? null : await SealAsync(r.AbhaNumber, id, LinkingFields.LinkedCareContexts, r.Linked, ct), r.UpdatedAt);
    }

    private async Task<Versioned<LinkRequest>> VersionedLinkRequestAsync(JsonElement element, CancellationToken ct)
    {
        var document = element.Deserialize<LinkRequestDocument>(NdhmJson.Options)!;
        return new Versioned<LinkRequest>(await LinkRequestAsync(document, ct), element.GetProperty("_etag").GetString()!);
    }

    private async Task<LinkRequest> LinkRequestAsync(LinkRequestDocument d, CancellationToken ct) => new()
    {
        Id = d.LinkRequestId, AbhaNumber = d.AbhaNumber, AbhaAddress = d.AbhaAddress, HipId = d.HipId, PartnerId = d.PartnerId,
        TransactionId = d.TransactionId,
        PatientReference = (await OpenAsync<string>(d.AbhaNumber, d.Id, LinkingFields.PatientReference, d.PatientReference, ct))!,
        CareContexts = (await OpenAsync<List<CareContext>>(d.AbhaNumber, d.Id, LinkingFields.CareContexts, d.CareContexts, ct))!,
        InitRequestId = d.InitRequestId, ConfirmRequestId = d.ConfirmRequestId, CreatedAt = d.CreatedAt, Status = d.Status,
        LinkRefNumber = d.LinkRefNumber, Authentication = d.Authentication, CommunicationMedium = d.CommunicationMedium,
        CommunicationHint = d.CommunicationHint, OtpExpiresAt = d.OtpExpiresAt, PlatformOtpTxnId = d.PlatformOtpTxnId, Error = d.Error,
        Linked = await OpenAsync<List<CareContext>>(d.AbhaNumber, d.Id, LinkingFields.LinkedCareContexts, d.Linked, ct), UpdatedAt = d.UpdatedAt,
    };

    private async Task<LinksDocument> LinksDocumentAsync(CareContextLinks l, CancellationToken ct)
    {
        var id = LinksKey(l.HipId);
        return new LinksDocument(id, await PatientPartitionAsync(l.AbhaNumber, ct), "care-context-links", l.AbhaNumber, l.AbhaAddress, l.HipId,
            l.PartnerId, await SealAsync(l.AbhaNumber, id, LinkingFields.PatientReference, l.PatientReference, ct),
            await SealAsync(l.AbhaNumber, id, LinkingFields.PatientDisplay, l.PatientDisplay, ct),
            await SealAsync(l.AbhaNumber, id, LinkingFields.CareContexts, l.CareContexts, ct), l.CareContexts.Count);
    }

    private async Task<CareContextLinks> LinksAsync(LinksDocument d, CancellationToken ct) => new()
    {
        AbhaNumber = d.AbhaNumber, AbhaAddress = d.AbhaAddress, HipId = d.HipId, PartnerId = d.PartnerId,
        PatientReference = (await OpenAsync<string>(d.AbhaNumber, d.Id, LinkingFields.PatientReference, d.PatientReference, ct))!,
        PatientDisplay = (await OpenAsync<string>(d.AbhaNumber, d.Id, LinkingFields.PatientDisplay, d.PatientDisplay, ct))!,
        CareContexts = (await OpenAsync<List<LinkedContext>>(d.AbhaNumber, d.Id, LinkingFields.CareContexts, d.CareContexts, ct))!,
    };
}

/// <summary>The encrypted fields of linking documents, under the patient's data key; each name is bound into its ciphertext.</summary>
public static class LinkingFields
{
    public const string DiscoveredPatient = "patient";
    public const string PatientReference = "patientReference";
    public const string PatientDisplay = "patientDisplay";
    public const string CareContexts = "careContexts";
    public const string LinkedCareContexts = "linked";

    public static DataKeyScope ScopeOf(string abhaNumber) => DataKeyScope.Patient(abhaNumber);
}

internal sealed record DiscoveryGuardDocument(string Id, string Pk, string Type, string TransactionId, DateTimeOffset DeadlineAt);

internal sealed record DiscoveryDocument(string Id, string Pk, string Type, string TransactionId, string AbhaNumber, string AbhaAddress, string HipId,
    string PartnerId, string RequestId, DateTimeOffset CreatedAt, DateTimeOffset DeadlineAt, DiscoveryStatus Status, string? Patient,
    AbdmError? Error, DateTimeOffset? AnsweredAt);

internal sealed record LinkRequestDocument(string Id, string Pk, string Type, string LinkRequestId, string AbhaNumber, string AbhaAddress,
    string HipId, string PartnerId, string TransactionId, string PatientReference, string CareContexts, string InitRequestId,
    string? ConfirmRequestId, IReadOnlyList<string> OutboundRequestIds, DateTimeOffset CreatedAt, LinkRequestStatus Status,
    string? LinkRefNumber, LinkAuthentication? Authentication, string? CommunicationMedium, string? CommunicationHint,
    DateTimeOffset? OtpExpiresAt, string? PlatformOtpTxnId, AbdmError? Error, string? Linked, DateTimeOffset? UpdatedAt);

internal sealed record LinksDocument(string Id, string Pk, string Type, string AbhaNumber, string AbhaAddress, string HipId, string PartnerId,
    string PatientReference, string PatientDisplay, string CareContexts, int Count);

internal sealed record LinkTokenDocument(string Id, string Pk, string Type, LinkToken Token);
