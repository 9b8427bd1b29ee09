using System.Collections.Concurrent;
using Ndhm.Analytics;
using Ndhm.Registry.Facilities;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Gives every fact that names a facility the facility's HFR type (<c>facilityType</c>) when its source did not: the
/// type is public registry data, so reading it is not the lookup of a person the sources avoid. One registry read per
/// facility per <see cref="CacheFor"/> (types change rarely); a facility the registry does not know stays
/// <c>unknown</c>. A source that knows the type itself (orders: <c>pharmacy</c>) keeps its own.
/// </summary>
public sealed class FacilityTypedFacts(IAnalyticsFacts inner, IFacilityRegistry registry, TimeProvider time) : IAnalyticsFacts
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);
    private const int MaxCached = 50_000;

    private readonly ConcurrentDictionary<string, (string? Code, DateTimeOffset At)> cache = new(StringComparer.Ordinal);

    public async Task RecordAsync(AnalyticsFact fact, CancellationToken ct)
    {
        if (fact.FacilityId is { } facility && !(fact.Dimensions.TryGetValue("facilityType", out var given) && given is not null))
        {
            var dimensions = new Dictionary<string, string?>(fact.Dimensions, StringComparer.Ordinal)
            {
                ["facilityType"] = await TypeOfAsync(facility, ct),
            };
            fact = fact with { Dimensions = dimensions };
        }

        await inner.RecordAsync(fact, ct);
    }

    /// <summary>The definitions' facility-type code for an HFR type.</summary>
    public static string Code(FacilityType type) => type switch
    {
        FacilityType.Hospital => "hospital",
        FacilityType.Clinic => "clinic",
        FacilityType.DiagnosticLab => "lab",
        FacilityType.ImagingCentre => "diagnostic",
        FacilityType.Pharmacy => "pharmacy",
        // Ayushman Arogya Mandirs (health and wellness centres) are sub-centres and PHCs upgraded: primary care.
        FacilityType.HealthAndWellnessCentre => "phc",
        _ => "other",
    };

    private async Task<string?> TypeOfAsync(string facilityId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(facilityId, out var cached) && now - cached.At < CacheFor) return cached.Code;
        var code = FacilityId.TryParse(facilityId, out var id) && await registry.FindAsync(id, ct) is { } found ? Code(found.Type) : null;
        if (cache.Count >= MaxCached) cache.Clear();
        cache[facilityId] = (code, now);
        return code;
    }
}
