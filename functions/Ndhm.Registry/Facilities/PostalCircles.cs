namespace Ndhm.Registry.Facilities;

/// <summary>
/// Which PIN codes belong to which state or union territory, by their leading digits. India Post's PIN scheme gives
/// the first two digits to a postal circle (11 Delhi, 12-13 Haryana, ... 80-85 Bihar and Jharkhand; 9x is the Army
/// Postal Service, no state). A circle may serve several states (20-28 Uttar Pradesh and Uttarakhand), so a state
/// is given its whole circle rather than its sorting districts: the check rejects a PIN of another circle (Hyderabad's
/// 500001 for Andhra Pradesh), never a genuine address near a circle's internal border.
/// </summary>
public static class PostalCircles
{
    // LGD state code -> the PIN prefixes its post offices use. Enclaves and transfers keep their old circle's PINs:
    // Puducherry's Yanam (533) and Mahe (673), Diu (362) of Dadra and Nagar Haveli and Daman and Diu, the Polavaram
    // mandals that moved from Telangana to Andhra Pradesh in 2014 (507), Meghalaya's 783123.
    private static readonly Dictionary<string, string[]> PrefixesByState = new(StringComparer.Ordinal)
    {
        ["01"] = ["18", "19"],                 // Jammu and Kashmir
        ["02"] = ["17"],                       // Himachal Pradesh
        ["03"] = ["14", "15", "16"],           // Punjab
        ["04"] = ["16"],                       // Chandigarh (160)
        ["05"] = Range(20, 28),                // Uttarakhand, in the Uttar Pradesh circle
        ["06"] = ["12", "13"],                 // Haryana
        ["07"] = ["11"],                       // Delhi
        ["08"] = Range(30, 34),                // Rajasthan
        ["09"] = Range(20, 28),                // Uttar Pradesh
        ["10"] = Range(80, 85),                // Bihar
        ["11"] = ["737"],                      // Sikkim, in the West Bengal circle
        ["12"] = ["79"],                       // Arunachal Pradesh (North Eastern circle)
        ["13"] = ["79"],                       // Nagaland
        ["14"] = ["79"],                       // Manipur
        ["15"] = ["79"],                       // Mizoram
        ["16"] = ["79"],                       // Tripura
        ["17"] = ["79", "783"],                // Meghalaya
        ["18"] = ["78"],                       // Assam
        ["19"] = Range(70, 74),                // West Bengal
        ["20"] = Range(80, 85),                // Jharkhand, in the Bihar circle
        ["21"] = Range(75, 77),                // Odisha
        ["22"] = ["49"],                       // Chhattisgarh
        ["23"] = Range(45, 48),                // Madhya Pradesh
        ["24"] = Range(36, 39),                // Gujarat
        ["27"] = Range(40, 44),                // Maharashtra
        ["28"] = ["51", "52", "53", "507"],    // Andhra Pradesh
        ["29"] = Range(56, 59),                // Karnataka
        ["30"] = ["403"],                      // Goa
        ["31"] = ["682"],                      // Lakshadweep, in the Kerala circle
        ["32"] = Range(67, 69),                // Kerala
        ["33"] = Range(60, 64),                // Tamil Nadu
        ["34"] = ["605", "607", "609", "533", "673"], // Puducherry, Karaikal, Yanam, Mahe
        ["35"] = ["744"],                      // Andaman and Nicobar Islands
        ["36"] = ["50"],                       // Telangana
        ["37"] = ["194"],                      // Ladakh
        ["38"] = ["396", "362"],               // Dadra and Nagar Haveli and Daman and Diu
    };

    /// <summary>True when <paramref name="pincode"/> is one a post office of the state with <paramref name="stateCode"/> uses.</summary>
    public static bool Serves(string stateCode, string pincode) =>
        PrefixesByState.TryGetValue(stateCode, out var prefixes) &&
        prefixes.Any(p => pincode.StartsWith(p, StringComparison.Ordinal));

    /// <summary>The PIN prefixes of a state (for error messages), e.g. "50" for Telangana.</summary>
    public static IReadOnlyList<string> PrefixesOf(string stateCode) =>
        PrefixesByState.TryGetValue(stateCode, out var prefixes) ? prefixes : [];

    /// <summary>Every state code with PIN prefixes, so a test can prove no state is left out.</summary>
    public static IReadOnlyCollection<string> StateCodes => PrefixesByState.Keys;

    private static string[] Range(int first, int last) =>
        Enumerable.Range(first, last - first + 1).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
