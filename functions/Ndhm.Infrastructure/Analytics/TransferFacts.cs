using Ndhm.Analytics;
using Ndhm.Core.Concurrency;
using Ndhm.DataTransfer;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Reports each health-information transaction once, when the write that closes it happens: its outcome
/// (TRANSFERRED, PARTIAL, FAILED) and its latency from the HIU's request to the close, in milliseconds (the measure's
/// value: the aggregates keep the count and the sum, so only a block's mean is ever released). The fact id is the
/// transaction id, so the writes after the close (the HIU's receipt report) and a retried close report nothing new.
/// Recorded before the write: a fact-store failure fails the step with nothing changed, and it is retried.
/// </summary>
public sealed class TransferFacts(ITransferStore inner, IAnalyticsFacts facts) : ITransferStore
{
    public const string Measure = "transfers";

    public Task<bool> TryCreateAsync(HiTransaction transaction, CancellationToken ct) => inner.TryCreateAsync(transaction, ct);

    public Task<Versioned<HiTransaction>?> FindAsync(string transactionId, CancellationToken ct) => inner.FindAsync(transactionId, ct);

    public async Task<string> ReplaceAsync(HiTransaction transaction, string ifMatch, CancellationToken ct)
    {
        if (FactOf(transaction) is { } fact) await facts.RecordAsync(fact, ct);
        return await inner.ReplaceAsync(transaction, ifMatch, ct);
    }

    /// <summary>The closed transaction's fact; null while it is open.</summary>
    public static AnalyticsFact? FactOf(HiTransaction transaction)
    {
        if (!transaction.IsClosed || transaction.ClosedAt is not { } closed) return null;
        var latency = Math.Max(0, (closed - transaction.CreatedAt).TotalMilliseconds);
        return new AnalyticsFact(AnalyticsFactIds.For(Measure, transaction.Id), Measure, FactCodes.Day(closed),
            FactCodes.Dimensions(("outcome", TransferStatuses.Name(transaction.Status))), Value: Math.Round(latency),
            Patient: transaction.PatientNumber);
    }

    public Task<Versioned<ArtefactUsage>?> FindUsageAsync(string artefactId, CancellationToken ct) => inner.FindUsageAsync(artefactId, ct);

    public Task<bool> TrySaveUsageAsync(ArtefactUsage usage, string? ifMatch, CancellationToken ct) => inner.TrySaveUsageAsync(usage, ifMatch, ct);
}
