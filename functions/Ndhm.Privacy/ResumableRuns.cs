using Ndhm.Core.Concurrency;

namespace Ndhm.Privacy;

/// <summary>
/// How far a long-running job (a migration, a re-wrap) got: the last id it finished, so a run that died resumes
/// there, and whether it finished. Stored with an ETag so two instances running the same job never both advance it.
/// </summary>
/// <param name="Failed">Records left as they were because they could not be processed (e.g. a key this vault cannot unwrap); logged, not retried until the next pass.</param>
public sealed record RunCheckpoint(string Name, string? After, bool Completed, long Visited, long Changed, DateTimeOffset UpdatedAt, long Failed = 0);

public interface IRunCheckpoints
{
    Task<Versioned<RunCheckpoint>?> FindAsync(string name, CancellationToken ct);

    /// <summary>
    /// Creates (<paramref name="ifMatch"/> null) or replaces (If-Match): the stored checkpoint, or null when another run
    /// created or changed it meanwhile.
    /// </summary>
    Task<Versioned<RunCheckpoint>?> TrySaveAsync(RunCheckpoint checkpoint, string? ifMatch, CancellationToken ct);
}

/// <summary>What one run did: how many records it looked at and changed, and whether the job is now complete.</summary>
public sealed record RunReport(string Name, long Visited, long Changed, bool Completed, long Failed = 0);
