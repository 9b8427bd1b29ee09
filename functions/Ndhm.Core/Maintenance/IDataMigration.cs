namespace Ndhm.Core.Maintenance;

/// <summary>
/// One page of a data migration: how many items it looked at, how many it changed, and where the next page starts
/// (null when the migration has gone through everything).
/// </summary>
public sealed record MigrationPage(string Migration, int Visited, int Changed, string? Next)
{
    public bool Done => Next is null;
}

/// <summary>
/// Port: a data migration for deployments whose stored data predates a change of shape. Each is idempotent (running
/// it again, or over items already migrated, changes nothing) and resumable: it walks its items in a stable order,
/// one bounded page per call, and a page's <see cref="MigrationPage.Next"/> is where the next call starts, so an
/// interrupted run continues where it stopped (or from the start: nothing is done twice).
/// </summary>
public interface IDataMigration
{
    /// <summary>The name in <c>POST /api/v1/admin/migrations/{name}</c>.</summary>
    string Name { get; }

    Task<MigrationPage> RunPageAsync(string? after, int max, CancellationToken ct);
}
