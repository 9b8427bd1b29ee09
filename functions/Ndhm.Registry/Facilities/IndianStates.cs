namespace Ndhm.Registry.Facilities;

/// <summary>A state or union territory with its two-digit code.</summary>
public sealed record IndianState(string Code, string Name, bool IsUnionTerritory);

/// <summary>
/// State and union-territory codes of the Local Government Directory (LGD), which continue the Census 2011
/// numbering. HFR facility ids embed this code (IN + code + 8 digits). Codes 25 (Daman and Diu) and 26 (Dadra and
/// Nagar Haveli) were retired when the two merged into 38 in 2020; 36 is Telangana (2014), 37 Ladakh (2019).
/// </summary>
public static class IndianStates
{
    public static IReadOnlyList<IndianState> All { get; } =
    [
        new("01", "Jammu and Kashmir", true),
        new("02", "Himachal Pradesh", false),
        new("03", "Punjab", false),
        new("04", "Chandigarh", true),
        new("05", "Uttarakhand", false),
        new("06", "Haryana", false),
        new("07", "Delhi", true),
        new("08", "Rajasthan", false),
        new("09", "Uttar Pradesh", false),
        new("10", "Bihar", false),
        new("11", "Sikkim", false),
        new("12", "Arunachal Pradesh", false),
        new("13", "Nagaland", false),
        new("14", "Manipur", false),
        new("15", "Mizoram", false),
        new("16", "Tripura", false),
        new("17", "Meghalaya", false),
        new("18", "Assam", false),
        new("19", "West Bengal", false),
        new("20", "Jharkhand", false),
        new("21", "Odisha", false),
        new("22", "Chhattisgarh", false),
        new("23", "Madhya Pradesh", false),
        new("24", "Gujarat", false),
        new("27", "Maharashtra", false),
        new("28", "Andhra Pradesh", false),
        new("29", "Karnataka", false),
        new("30", "Goa", false),
        new("31", "Lakshadweep", true),
        new("32", "Kerala", false),
        new("33", "Tamil Nadu", false),
        new("34", "Puducherry", true),
        new("35", "Andaman and Nicobar Islands", true),
        new("36", "Telangana", false),
        new("37", "Ladakh", true),
        new("38", "Dadra and Nagar Haveli and Daman and Diu", true),
    ];

    private static readonly Dictionary<string, IndianState> ByCode = All.ToDictionary(s => s.Code, StringComparer.Ordinal);

    private static readonly Dictionary<string, IndianState> ByName =
        All.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryFindByCode(string? code, out IndianState state)
    {
        state = null!;
        return code is not null && ByCode.TryGetValue(code, out state!);
    }

    public static bool TryFindByName(string? name, out IndianState state)
    {
        state = null!;
        var cleaned = Common.Text.Clean(name);
        return cleaned is not null && ByName.TryGetValue(cleaned.Replace(" & ", " and ", StringComparison.Ordinal), out state!);
    }
}
