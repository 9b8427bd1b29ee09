using Ndhm.Analytics;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Reports care-context links when the patient's links at a HIP are saved: one fact per care context the save adds
/// (those linked at the save's moment, the newest <see cref="LinkedContext.LinkedAt"/>), by initiator (patient or
/// HIP) and the HIP's facility id. The fact id hashes the patient's keyed hash, the HIP and the care-context reference, so a
/// retried link counts once; saving again (an unlink, a later link) re-reports the newest contexts under the same ids,
/// which changes nothing. Each such save also reports the patient to <c>linking-patients</c> under an id made of the
/// patient's keyed hash and the day, so that measure counts each patient once a day. Recorded before the write: a fact-store failure fails the link with nothing saved.
/// </summary>
public sealed class LinkingFacts(ICareContextLinkStore inner, IAnalyticsFacts facts, AnalyticsPersonKeys persons) : Linking.CareContextLinkStoreDecorator(inner)
{
    public const string Measure = "linkings";
    public const string PatientsMeasure = "linking-patients";

    public override async Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct)
    {
        if (links.CareContexts.Count > 0)
        {
            foreach (var fact in FactsOf(links, await persons.KeyAsync(links.AbhaNumber, ct))) await facts.RecordAsync(fact, ct);
        }

        return await Inner.SaveLinksAsync(links, ifMatch, ct);
    }

    /// <summary>The facts of the care contexts linked most recently (the ones this save adds when it adds any).</summary>
    /// <param name="personKey">The patient's keyed hash (<see cref="AnalyticsPersonKeys"/>): the fact id never holds the number.</param>
    public static IReadOnlyList<AnalyticsFact> FactsOf(CareContextLinks links, string personKey)
    {
        if (links.CareContexts.Count == 0) return [];
        var newest = links.CareContexts.Max(c => c.LinkedAt);
        var added = links.CareContexts.Where(c => c.LinkedAt == newest).ToList();
        var day = FactCodes.Day(newest);
        var facts = added.Select(c => new AnalyticsFact(
                AnalyticsFactIds.For(Measure, personKey + "\n" + links.HipId, c.ReferenceNumber), Measure, day,
                FactCodes.Dimensions(("initiator", Initiator(c.Source))), FacilityId: links.HipId, Patient: links.AbhaNumber))
            .ToList();

        // Distinct patients per day without an identity in the store: the id is the patient's keyed hash and the day,
        // so the create-only outbox keeps the first of the day's linkings and every later one is a no-op.
        facts.Add(new AnalyticsFact(AnalyticsFactIds.For(PatientsMeasure, personKey, day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)),
            PatientsMeasure, day, FactCodes.Dimensions(("initiator", Initiator(added[0].Source))), FacilityId: links.HipId, Patient: links.AbhaNumber));
        return facts;
    }

    private static string Initiator(LinkSource source) => source == LinkSource.Hip ? "hip" : "patient";
}
