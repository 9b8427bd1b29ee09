using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Json;
using Ndhm.HealthId.Nominees;
using Ndhm.HealthId.Numbers;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// A patient's nomination (kind <c>nomination</c>, id = pk = <c>nominee:{14 digits}</c>) in <c>health-ids</c>: one
/// point operation per access. The whole nomination (the nominee's address, number, name, relationship, mobile, status
/// and the activation's reason and evidence) is one <c>enc:v1:</c> field under the patient's data key, bound to the
/// document id and the field name <c>nomination</c>: someone reading the container learns only that the patient named
/// somebody. Destroying the patient's key on erasure makes it unreadable; erasure then deletes it.
/// </summary>
public sealed class CosmosNominationStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher) : INominationStore
{
    public const string Kind = "nomination";
    public const string Field = "nomination";
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public static string IdOf(AbhaNumber patient) => "nominee:" + patient.Digits;

    public async Task<Versioned<Nomination>?> FindAsync(AbhaNumber patient, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var id = IdOf(patient);
        if (await CosmosDocuments.TryReadAsync<NominationDocument>(container, id, id, ct).ConfigureAwait(false) is not { } read) return null;
        var json = await cipher.DecryptAsync(AbhaPersonalFields.ScopeOf(patient.Digits), id, Field, read.Document.Nomination, ct).ConfigureAwait(false);
        var nomination = JsonSerializer.Deserialize<Nomination>(json, NdhmJson.Options)
                         ?? throw new InvalidOperationException("A nomination document decrypted to nothing.");
        return new Versioned<Nomination>(nomination, read.ETag);
    }

    public async Task<string> CreateAsync(Nomination nomination, CancellationToken ct) =>
        await CosmosDocuments.CreateAsync(container, await ToDocumentAsync(nomination, ct).ConfigureAwait(false), IdOf(nomination.PatientAbhaNumber),
            CosmosHealthIdErrors.AlreadyExists, ct).ConfigureAwait(false);

    public async Task<string> ReplaceAsync(Nomination nomination, string ifMatch, CancellationToken ct)
    {
        var document = await ToDocumentAsync(nomination, ct).ConfigureAwait(false);
        return await CosmosDocuments.ReplaceAsync(container, document, document.Id, document.Pk, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate,
            CosmosHealthIdErrors.ConcurrentUpdate, ct).ConfigureAwait(false);
    }

    public Task<bool> DeleteAsync(AbhaNumber patient, string? ifMatch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var id = IdOf(patient);
        return CosmosDocuments.TryDeleteAsync(container, id, id, ifMatch, ct);
    }

    private async Task<NominationDocument> ToDocumentAsync(Nomination nomination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nomination);
        var patient = nomination.PatientAbhaNumber;
        var id = IdOf(patient);
        var sealedNomination = await cipher.EncryptAsync(AbhaPersonalFields.ScopeOf(patient.Digits), id, Field,
            JsonSerializer.Serialize(nomination, NdhmJson.Options), ct).ConfigureAwait(false);
        return new NominationDocument(id, id, Kind, patient.Digits, sealedNomination, nomination.UpdatedAt);
    }
}

/// <summary>The stored nomination: only the patient's number, the kind and the time are plaintext.</summary>
public sealed record NominationDocument(string Id, string Pk, string Kind, string AbhaNumber, string Nomination, DateTimeOffset UpdatedAt);
