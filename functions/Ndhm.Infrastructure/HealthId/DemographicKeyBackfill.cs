using System.Globalization;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Demographic;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Verification;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// Gives accounts written before the demographic dedup keys existed their <c>demographicHash</c> (exact key) and
/// <c>demographicBlockHash</c> (blocking key of the match beyond exact), so offline demographic enrolment finds them as
/// duplicates (one person, one ABHA); accounts are selected by the absence of the newer, <c>demographicBlockHash</c>. Each account without one is read through the account
/// store (decrypted), recorded on the patient's audit chain (<see cref="Action"/>, before the write) and written back
/// unchanged with If-Match: the store computes the hash from the plaintext on every write. A concurrent change wins
/// (the new code wrote the hash with it). Resumable: accounts are visited in id order and the last id is checkpointed
/// after each page (<c>demographic-key:healthid-accounts-v1</c> in <c>operations</c>); once complete a run costs one
/// checkpoint read. Idempotent: an account with the hash is not selected again, so a second run changes nothing. Runs
/// from the hourly <c>EncryptPlaintextFields</c> timer (it is an <see cref="IPlaintextFieldMigration"/>) and on demand
/// (<c>POST v1/admin/health-id/demographic-keys/backfill</c>). Accounts without a PIN code get no key and are left as they are.
/// </summary>
public sealed class DemographicKeyBackfill(CosmosClient client, CosmosSettings settings, IAbhaAccountStore accounts, HealthIdAudit audit,
    IRunCheckpoints checkpoints, TimeProvider time) : IPlaintextFieldMigration, IDemographicKeyBackfill
{
    public const string Name = "demographic-key:healthid-accounts-v1";
    public const string Action = "abha.demographic-key.backfill";
    public const string Actor = "system:demographic-key-backfill";
    public const int DefaultPageSize = 100;

    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    async Task<IReadOnlyList<RunReport>> IPlaintextFieldMigration.RunAsync(CancellationToken ct) => [await RunAsync(ct).ConfigureAwait(false)];

    Task<RunReport> IDemographicKeyBackfill.RunAsync(bool restart, int? maxPages, CancellationToken ct) =>
        RunAsync(ct, restart, maxPages: maxPages);

    /// <param name="restart">Start again from the first account even when an earlier run completed (after restoring old documents, say).</param>
    /// <param name="maxPages">Stop after this many pages (an HTTP call stays short); the next run resumes.</param>
    public async Task<RunReport> RunAsync(CancellationToken ct, bool restart = false, int pageSize = DefaultPageSize, int? maxPages = null)
    {
        var saved = await checkpoints.FindAsync(Name, ct).ConfigureAwait(false);
        var checkpoint = saved?.Value ?? new RunCheckpoint(Name, null, false, 0, 0, time.GetUtcNow());
        if (restart) checkpoint = new RunCheckpoint(Name, null, false, 0, 0, time.GetUtcNow());
        var etag = saved?.ETag;
        for (var page = 0; !checkpoint.Completed && (maxPages is null || page < maxPages); page++)
        {
            var ids = await PageAsync(checkpoint.After, pageSize, ct).ConfigureAwait(false);
            var changed = 0;
            foreach (var id in ids)
            {
                if (await BackfillAsync(AbhaNumber.Parse(id), ct).ConfigureAwait(false)) changed++;
            }

            var written = await checkpoints.TrySaveAsync(checkpoint with
            {
                After = ids.Count > 0 ? ids[^1] : checkpoint.After,
                Completed = ids.Count < pageSize,
                Visited = checkpoint.Visited + ids.Count,
                Changed = checkpoint.Changed + changed,
                UpdatedAt = time.GetUtcNow(),
            }, etag, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"Another run of {Name} advanced its checkpoint; this run stops.");
            (checkpoint, etag) = (written.Value, written.ETag);
        }

        return new RunReport(Name, checkpoint.Visited, checkpoint.Changed, checkpoint.Completed);
    }

    private async Task<bool> BackfillAsync(AbhaNumber number, CancellationToken ct)
    {
        var found = await accounts.FindAsync(number, ct).ConfigureAwait(false);
        if (found is not { Value: var account } || account.Status == AbhaStatus.Deleted) return false;
        if (DemographicKey.Of(account.Name, account.DateOfBirth, account.Gender, account.Address) is null
            && DemographicMatch.BlockKey(DemographicPerson.Of(account)) is null) return false;
        await audit.RecordAsync(Action, Actor, [], number.Digits, "backfilled", null, ct).ConfigureAwait(false);
        try
        {
            await accounts.ReplaceAsync(account, found.ETag, ct).ConfigureAwait(false);
            return true;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed)
        {
            return false; // changed meanwhile: that write stored the hash
        }
    }

    /// <summary>Ids of live accounts (they alone carry <c>kycStatus</c>) without the block hash, after <paramref name="after"/>, in id order.</summary>
    private async Task<List<string>> PageAsync(string? after, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                $"SELECT TOP {take.ToString(CultureInfo.InvariantCulture)} VALUE c.id FROM c WHERE IS_DEFINED(c.kycStatus) " +
                $"AND NOT IS_DEFINED(c.{CosmosAbhaAccountStore.DemographicBlockHashField}) AND c.status != 'DELETED' AND c.id > @after ORDER BY c.id")
            .WithParameter("@after", after ?? "");
        return [.. await CosmosDocuments.QueryAsync<string>(container, query, max: take, partitionKey: null, ct).ConfigureAwait(false)];
    }
}
