using Microsoft.Azure.Cosmos;
using Ndhm.HealthId.Verification;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>An audit entry for a Health ID event (a partner's verification lookup, say).</summary>
public sealed record HealthIdAuditEntry(string Id, string Pk, string Action, string Actor, IReadOnlyList<string> ActorRoles,
    string Subject, string Outcome, string? RequestId, DateTimeOffset At);

/// <summary>Writes Health ID audit entries to the <c>audit</c> container, partitioned by the ABHA number (or lookup key).</summary>
public sealed class HealthIdAuditLog(CosmosClient client, CosmosSettings settings, TimeProvider time) : IHealthIdAuditLog
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Audit.Name);

    public async Task RecordAsync(string action, string actor, IEnumerable<string> roles, string subject, string outcome,
        string? requestId, CancellationToken ct)
    {
        var pk = "healthid:" + subject;
        var entry = new HealthIdAuditEntry(Guid.NewGuid().ToString("N"), pk, action, actor, roles.ToList(), subject, outcome,
            requestId, time.GetUtcNow());
        await container.CreateItemAsync(entry, new PartitionKey(pk), CosmosDocuments.NoContent, ct).ConfigureAwait(false);
    }

    /// <summary>Entries about <paramref name="subject"/>, newest first.</summary>
    public async Task<IReadOnlyList<HealthIdAuditEntry>> ReadAsync(string subject, CancellationToken ct)
    {
        var pk = "healthid:" + subject;
        return await CosmosDocuments.QueryAsync<HealthIdAuditEntry>(container, new QueryDefinition("SELECT * FROM c ORDER BY c.at DESC"),
            max: null, pk, ct).ConfigureAwait(false);
    }
}
