using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Json;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Documents;
using Ndhm.HealthId.Numbers;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;
using Ndhm.Registry.Facilities;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>Document claims (id = pk = <c>document:{hash}</c>, kind <c>documentClaim</c>) in <c>health-ids</c>, like Aadhaar claims.</summary>
public sealed class CosmosDocumentClaims(CosmosClient client, CosmosSettings settings, TimeProvider time) : IDocumentClaims
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<AbhaNumber?> FindDocumentHolderAsync(string documentHash, CancellationToken ct)
    {
        var id = Id(documentHash);
        var claim = await CosmosDocuments.FindAsync<HealthIdClaimDocument>(container, id, id, ct).ConfigureAwait(false);
        return claim is null ? null : AbhaNumber.Parse(claim.AbhaNumber);
    }

    public async Task<AbhaNumber> ClaimDocumentAsync(string documentHash, AbhaNumber number, CancellationToken ct)
    {
        var id = Id(documentHash);
        if (await CosmosDocuments.TryCreateAsync(container, new HealthIdClaimDocument(id, id, "documentClaim", number.Digits, time.GetUtcNow()), id, ct)
                .ConfigureAwait(false) is not null)
            return number;
        var holder = await CosmosDocuments.FindAsync<HealthIdClaimDocument>(container, id, id, ct).ConfigureAwait(false);
        return holder is null ? throw CosmosHealthIdErrors.ConcurrentUpdate() : AbhaNumber.Parse(holder.AbhaNumber);
    }

    public Task ReleaseDocumentAsync(string documentHash, CancellationToken ct)
    {
        var id = Id(documentHash);
        return CosmosDocuments.TryDeleteAsync(container, id, id, ifMatch: null, ct);
    }

    private static string Id(string hash) => "document:" + hash;
}

/// <summary>
/// A document review as stored: one document per enrolment in <c>health-ids</c>, id <c>document-review:{digits}</c>, all
/// in the partition <c>document-reviews</c> (the queue is listed by one single-partition query). The submitted details,
/// photos and the reason are <c>enc:v1:</c> envelopes under the patient's data key, bound to the id and field name;
/// after the decision only the state, who decided, when and the (encrypted) reason remain.
/// </summary>
public sealed record DocumentReviewDocument(
    string Id, string Pk, string Kind, string AbhaNumber, IdentityDocumentType DocumentType, DocumentVerificationState State,
    DateTimeOffset SubmittedAt, string? Name, string? DateOfBirth, string? Gender, string? FrontSidePhoto, string? BackSidePhoto,
    string? Selfie, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecidedAtFacility, string? Reason);

public sealed class CosmosDocumentReviewQueue(CosmosClient client, CosmosSettings settings, FieldCipher cipher) : IDocumentReviewQueue
{
    public const string Partition = "document-reviews";
    private const string Kind = "documentReview";
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task EnqueueAsync(DocumentReview review, CancellationToken ct)
    {
        var document = await ToStoredAsync(review, ct).ConfigureAwait(false);
        await CosmosDocuments.CreateAsync(container, document, Partition, CosmosHealthIdErrors.AlreadyExists, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DocumentReviewSummary>> ListPendingAsync(int max, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.kind = @kind AND c.state = 'PENDING' ORDER BY c.submittedAt ASC")
            .WithParameter("@kind", Kind);
        var pending = await CosmosDocuments.QueryAsync<DocumentReviewDocument>(container, query, max, Partition, ct).ConfigureAwait(false);
        return pending.Select(d => new DocumentReviewSummary(AbhaNumber.Parse(d.AbhaNumber), d.DocumentType, d.SubmittedAt)).ToList();
    }

    public async Task<Versioned<DocumentReview>?> FindAsync(AbhaNumber number, CancellationToken ct)
    {
        var read = await CosmosDocuments.TryReadAsync<DocumentReviewDocument>(container, Id(number), Partition, ct).ConfigureAwait(false);
        return read is { } r ? new Versioned<DocumentReview>(await FromStoredAsync(r.Document, ct).ConfigureAwait(false), r.ETag) : null;
    }

    public async Task ReplaceAsync(DocumentReview review, string ifMatch, CancellationToken ct)
    {
        var document = await ToStoredAsync(review, ct).ConfigureAwait(false);
        await CosmosDocuments.ReplaceAsync(container, document, document.Id, Partition, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate,
            CosmosHealthIdErrors.ConcurrentUpdate, ct).ConfigureAwait(false);
    }

    private static string Id(AbhaNumber number) => "document-review:" + number.Digits;

    private async Task<DocumentReviewDocument> ToStoredAsync(DocumentReview r, CancellationToken ct)
    {
        var id = Id(r.AbhaNumber);
        var scope = AbhaPersonalFields.ScopeOf(r.AbhaNumber.Digits);
        Task<string?> Enc(string field, string? value) => cipher.EncryptOptionalAsync(scope, id, field, value, ct);
        return new DocumentReviewDocument(id, Partition, Kind, r.AbhaNumber.Digits, r.DocumentType, r.State, r.SubmittedAt,
            await Enc("name", r.Name is null ? null : JsonSerializer.Serialize(r.Name, NdhmJson.Options)).ConfigureAwait(false),
            await Enc("dateOfBirth", r.DateOfBirth is null ? null : JsonSerializer.Serialize(r.DateOfBirth, NdhmJson.Options)).ConfigureAwait(false),
            await Enc("gender", r.Gender?.ToString()).ConfigureAwait(false),
            await Enc("frontSidePhoto", B64(r.FrontSidePhoto)).ConfigureAwait(false),
            await Enc("backSidePhoto", B64(r.BackSidePhoto)).ConfigureAwait(false),
            await Enc("selfie", B64(r.Selfie)).ConfigureAwait(false),
            r.DecidedAt, r.DecidedBy, r.DecidedAtFacility,
            await Enc("reason", r.Reason).ConfigureAwait(false));
    }

    private async Task<DocumentReview> FromStoredAsync(DocumentReviewDocument d, CancellationToken ct)
    {
        var scope = AbhaPersonalFields.ScopeOf(d.AbhaNumber);
        Task<string?> Dec(string field, string? value) => cipher.DecryptOptionalAsync(scope, d.Id, field, value, ct);
        var name = await Dec("name", d.Name).ConfigureAwait(false);
        var dob = await Dec("dateOfBirth", d.DateOfBirth).ConfigureAwait(false);
        var gender = await Dec("gender", d.Gender).ConfigureAwait(false);
        return new DocumentReview
        {
            AbhaNumber = AbhaNumber.Parse(d.AbhaNumber),
            DocumentType = d.DocumentType,
            State = d.State,
            SubmittedAt = d.SubmittedAt,
            Name = name is null ? null : JsonSerializer.Deserialize<PersonName>(name, NdhmJson.Options),
            DateOfBirth = dob is null ? null : JsonSerializer.Deserialize<DateOfBirth>(dob, NdhmJson.Options),
            Gender = gender is null ? null : Enum.Parse<Gender>(gender),
            FrontSidePhoto = Bytes(await Dec("frontSidePhoto", d.FrontSidePhoto).ConfigureAwait(false)),
            BackSidePhoto = Bytes(await Dec("backSidePhoto", d.BackSidePhoto).ConfigureAwait(false)),
            Selfie = Bytes(await Dec("selfie", d.Selfie).ConfigureAwait(false)),
            DecidedAt = d.DecidedAt,
            DecidedBy = d.DecidedBy,
            DecidedAtFacility = d.DecidedAtFacility,
            Reason = await Dec("reason", d.Reason).ConfigureAwait(false),
        };
    }

    private static string? B64(byte[]? bytes) => bytes is null ? null : Convert.ToBase64String(bytes);

    private static byte[]? Bytes(string? base64) => base64 is null ? null : Convert.FromBase64String(base64);
}

/// <summary>The Registry's answer: the facility exists, is verified by a platform admin and not deactivated.</summary>
public sealed class RegistryFacilityStanding(IFacilityStore facilities) : IFacilityStanding
{
    public async Task<bool> IsVerifiedAndActiveAsync(string facilityId, CancellationToken ct)
    {
        if (!FacilityId.TryParse(facilityId, out var id)) return false;
        var found = await facilities.FindAsync(id, ct).ConfigureAwait(false);
        return found is { Value: { Verified: true, Active: true } };
    }
}
