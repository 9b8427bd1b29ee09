using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Json;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Pending subscription events in the <c>consents</c> container (<see cref="SubscriptionOutboxDocument"/>): plaintext
/// only when it was written (for the sweep's query) and the ABHA number naming the data key; the event itself (patient,
/// HIP, care contexts) is one <c>enc:v1</c> field under the patient's data key, so crypto-shredding the patient makes a
/// leftover unreadable (the sweep then drops it).
/// </summary>
public sealed class CosmosSubscriptionOutbox(CosmosClient client, CosmosSettings settings, FieldCipher cipher) : ISubscriptionOutbox
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task AddAsync(PendingSubscriptionEvent pending, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var id = SubscriptionOutboxDocument.IdOf(pending.Id);
        var sealedEvent = await cipher.EncryptAsync(DataKeyScope.Patient(pending.PatientNumber), id, SubscriptionOutboxDocument.EventField,
            JsonSerializer.Serialize(pending, NdhmJson.Options), ct);
        await CosmosDocuments.TryCreateAsync(Container, new SubscriptionOutboxDocument(id, id, SubscriptionOutboxDocument.Type, pending.PatientNumber,
            pending.WrittenAt.ToUnixTimeSeconds(), sealedEvent), id, ct);
    }

    public Task RemoveAsync(PendingSubscriptionEvent pending, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var id = SubscriptionOutboxDocument.IdOf(pending.Id);
        return CosmosDocuments.TryDeleteAsync(Container, id, id, null, ct);
    }

    public async Task<IReadOnlyList<PendingSubscriptionEvent>> ListWrittenBeforeAsync(DateTimeOffset before, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.writtenAt <= @before ORDER BY c.writtenAt")
            .WithParameter("@take", take).WithParameter("@type", SubscriptionOutboxDocument.Type).WithParameter("@before", before.ToUnixTimeSeconds());
        var pending = new List<PendingSubscriptionEvent>();
        foreach (var document in await CosmosDocuments.QueryAsync<SubscriptionOutboxDocument>(Container, query, take, partitionKey: null, ct))
        {
            string json;
            try
            {
                json = await cipher.DecryptAsync(DataKeyScope.Patient(document.Subject), document.Id, SubscriptionOutboxDocument.EventField, document.Event, ct);
            }
            catch (Ndhm.Core.Errors.DomainException e) when (e.Code == PrivacyErrors.SubjectErased)
            {
                // The patient's data key is gone (erased): nothing can or may be told; drop it.
                await CosmosDocuments.TryDeleteAsync(Container, document.Id, document.Pk, null, ct);
                continue;
            }

            if (JsonSerializer.Deserialize<PendingSubscriptionEvent>(json, NdhmJson.Options) is { } read) pending.Add(read);
        }

        return pending;
    }
}
