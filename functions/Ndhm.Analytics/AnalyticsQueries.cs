using Ndhm.Audit;
using Ndhm.Core.Errors;

namespace Ndhm.Analytics;

/// <summary>
/// The query API's service: reads the whole months the range touches (the blocks are made per month, independently of
/// the query), applies the small-facility rule, answers from released blocks only, and audits every query, refused
/// or answered, on the caller's partner chain (the platform chain for platform tokens).
/// </summary>
public sealed class AnalyticsQueries(IAggregateSliceStore store, IAuditTrail audit, AnalyticsOptions options)
{
    public const string AuditAction = "analytics.query";

    public int Threshold => Math.Max(2, options.SmallCellThreshold);

    public async Task<AnalyticsResult> QueryAsync(AnalyticsQuery query, AuditActor actor, CancellationToken ct)
    {
        var slices = new List<AggregateSlice>();
        var units = new List<ReleasedUnit>();
        foreach (var (year, month) in query.Months())
        {
            var monthSlices = await store.ReadMonthAsync(query.Measure.Name, year, month, ct);
            slices.AddRange(monthSlices);
            units.AddRange(DisclosureControl.Units(monthSlices, Threshold));
        }

        try
        {
            SmallFacilityRule.Check(query, slices, Threshold);
        }
        catch (DomainException)
        {
            await RecordAsync(query, actor, "refused", ct);
            throw;
        }

        var result = AnalyticsTable.Answer(query, units, Threshold);
        await RecordAsync(query, actor, "released", ct);
        return result;
    }

    private Task RecordAsync(AnalyticsQuery query, AuditActor actor, string outcome, CancellationToken ct)
    {
        var chain = actor.Partner is { } partner ? AuditChainKey.Partner(partner) : AuditChainKey.Platform;
        var described = $"{query.Measure.Name}:{query.From:yyyyMMdd}-{query.To:yyyyMMdd}:{query.Grain.ToString().ToLowerInvariant()}";
        return audit.RecordAsync(new AuditEvent(chain, actor, AuditAction, new AuditResource("analytics-query", described),
            Purpose: "PUBHLTH", Outcome: outcome), ct);
    }
}
