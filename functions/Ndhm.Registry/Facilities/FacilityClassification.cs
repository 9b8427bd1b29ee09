namespace Ndhm.Registry.Facilities;

public enum FacilityType
{
    Hospital,
    Clinic,
    DiagnosticLab,
    ImagingCentre,
    Pharmacy,
    BloodBank,
    HealthAndWellnessCentre,
}

public enum FacilityOwnership
{
    Government,
    Private,
    PublicPrivatePartnership,
}

/// <summary>The systems of medicine recognised in India (modern medicine and AYUSH).</summary>
public enum SystemOfMedicine
{
    ModernMedicine,
    Ayurveda,
    Yoga,
    Naturopathy,
    Unani,
    Siddha,
    SowaRigpa,
    Homoeopathy,
}

/// <summary>
/// Reads the names people write ("Diagnostic Lab", "diagnosticLab", "DIAGNOSTIC_LAB", "Public-Private",
/// "Allopathy") into the enums; the API answers with the camelCase enum names.
/// </summary>
public static class Classification
{
    private static readonly Dictionary<string, FacilityType> Types = Build<FacilityType>(new()
    {
        ["lab"] = FacilityType.DiagnosticLab,
        ["laboratory"] = FacilityType.DiagnosticLab,
        ["diagnosticlaboratory"] = FacilityType.DiagnosticLab,
        ["imaging"] = FacilityType.ImagingCentre,
        ["imagingcenter"] = FacilityType.ImagingCentre,
        ["healthandwellnesscenter"] = FacilityType.HealthAndWellnessCentre,
        ["hwc"] = FacilityType.HealthAndWellnessCentre,
    });

    private static readonly Dictionary<string, FacilityOwnership> Ownerships = Build<FacilityOwnership>(new()
    {
        ["publicprivate"] = FacilityOwnership.PublicPrivatePartnership,
        ["ppp"] = FacilityOwnership.PublicPrivatePartnership,
        ["public"] = FacilityOwnership.Government,
    });

    private static readonly Dictionary<string, SystemOfMedicine> Systems = Build<SystemOfMedicine>(new()
    {
        ["allopathy"] = SystemOfMedicine.ModernMedicine,
        ["modern"] = SystemOfMedicine.ModernMedicine,
        ["homeopathy"] = SystemOfMedicine.Homoeopathy,
    });

    public static bool TryType(string? text, out FacilityType value) => Types.TryGetValue(Key(text), out value);

    public static bool TryOwnership(string? text, out FacilityOwnership value) => Ownerships.TryGetValue(Key(text), out value);

    public static bool TrySystem(string? text, out SystemOfMedicine value) => Systems.TryGetValue(Key(text), out value);

    public static IEnumerable<string> Names<T>() where T : struct, Enum =>
        Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]);

    private static string Key(string? text) =>
        new((text ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static Dictionary<string, T> Build<T>(Dictionary<string, T> aliases) where T : struct, Enum
    {
        var map = new Dictionary<string, T>(aliases, StringComparer.Ordinal);
        foreach (var value in Enum.GetValues<T>())
        {
            map[Key(value.ToString())] = value;
        }

        return map;
    }
}
