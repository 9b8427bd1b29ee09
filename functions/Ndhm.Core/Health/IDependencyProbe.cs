namespace Ndhm.Core.Health;

/// <summary>
/// Checks that one external dependency (Cosmos, storage, keys...) answers. Used by <c>GET /api/health</c> and
/// by the self-test orchestration. A probe must finish within its own short timeout, never hang.
/// </summary>
public interface IDependencyProbe
{
    /// <summary>Stable name shown to operators, e.g. <c>cosmos</c>, <c>storage</c>, <c>keys</c>.</summary>
    string Name { get; }

    Task<ProbeResult> CheckAsync(CancellationToken ct);
}

public sealed record ProbeResult(string Name, bool Healthy, long ElapsedMs, string? Error = null);
