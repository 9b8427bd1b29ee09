using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Analytics;

namespace Ndhm.Triggers.Analytics;

/// <summary>
/// Every ten seconds: folds the new analytics facts (the outbox's change feed, from each range's checkpoint) into the
/// aggregates. A host that was down resumes from the checkpoints; nothing scans the operational containers.
/// </summary>
public sealed class RefreshAnalyticsAggregates(AnalyticsIngestion ingestion, ILogger<RefreshAnalyticsAggregates> logger)
{
    [Function(nameof(RefreshAnalyticsAggregates))]
    public async Task Run([TimerTrigger("*/10 * * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var result = await ingestion.RunAsync(maxPages: 100, ct);
        if (result.Events > 0) logger.LogInformation("Analytics: {Events} events folded in with {Writes} aggregate writes", result.Events, result.Writes);
    }
}
