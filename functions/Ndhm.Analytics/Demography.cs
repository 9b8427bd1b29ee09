namespace Ndhm.Analytics;

/// <summary>
/// Turns the personal details a capability holds in plain text at the moment of an event into the codes the
/// aggregates keep: an age band instead of a date of birth, a state code instead of an address, the PIN code's
/// sorting district (its first three digits) instead of a locality. Called where the event happens, so nothing is
/// ever decrypted for analytics.
/// </summary>
public static class Demography
{
    private static readonly (int UpTo, string Band)[] Bands = [(4, "0-4"), (14, "5-14"), (29, "15-29"), (44, "30-44"), (59, "45-59"), (74, "60-74")];

    /// <summary>The age band on <paramref name="on"/>; a missing month or day counts as 1 July / the 1st (the usual convention).</summary>
    public static string AgeBand(int birthYear, int? birthMonth, int? birthDay, DateOnly on)
    {
        if (birthYear < 1900 || birthYear > on.Year) return AnalyticsDefinitions.Unknown;
        var month = birthMonth is >= 1 and <= 12 ? birthMonth.Value : 7;
        var day = birthDay is >= 1 and <= 31 ? Math.Min(birthDay.Value, DateTime.DaysInMonth(birthYear, month)) : 1;
        var age = on.Year - birthYear - (on < new DateOnly(on.Year, month, Math.Min(day, DateTime.DaysInMonth(on.Year, month))) ? 1 : 0);
        if (age < 0) return AnalyticsDefinitions.Unknown;
        foreach (var (upTo, band) in Bands)
        {
            if (age <= upTo) return band;
        }

        return "75+";
    }

    /// <summary>The PIN code's sorting district (first three digits), or unknown.</summary>
    public static string District(string? pinCode) =>
        pinCode is { Length: 6 } pin && pin.All(char.IsAsciiDigit) ? pin[..3] : AnalyticsDefinitions.Unknown;

    /// <summary>The ISO 3166-2:IN code of a state or union territory name as addresses spell it, or unknown.</summary>
    public static string State(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return AnalyticsDefinitions.Unknown;
        var key = new string(name.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());
        return States.TryGetValue(key, out var code) ? code : AnalyticsDefinitions.Unknown;
    }

    private static readonly Dictionary<string, string> States = new(StringComparer.Ordinal)
    {
        ["andhrapradesh"] = "AP", ["arunachalpradesh"] = "AR", ["assam"] = "AS", ["bihar"] = "BR", ["chhattisgarh"] = "CT",
        ["goa"] = "GA", ["gujarat"] = "GJ", ["haryana"] = "HR", ["himachalpradesh"] = "HP", ["jharkhand"] = "JH",
        ["karnataka"] = "KA", ["kerala"] = "KL", ["madhyapradesh"] = "MP", ["maharashtra"] = "MH", ["manipur"] = "MN",
        ["meghalaya"] = "ML", ["mizoram"] = "MZ", ["nagaland"] = "NL", ["odisha"] = "OR", ["orissa"] = "OR", ["punjab"] = "PB",
        ["rajasthan"] = "RJ", ["sikkim"] = "SK", ["tamilnadu"] = "TN", ["telangana"] = "TG", ["tripura"] = "TR",
        ["uttarpradesh"] = "UP", ["uttarakhand"] = "UT", ["westbengal"] = "WB", ["andamanandnicobarislands"] = "AN",
        ["chandigarh"] = "CH", ["dadraandnagarhavelianddamananddiu"] = "DH", ["delhi"] = "DL", ["nctofdelhi"] = "DL",
        ["jammuandkashmir"] = "JK", ["ladakh"] = "LA", ["lakshadweep"] = "LD", ["puducherry"] = "PY",
    };
}
