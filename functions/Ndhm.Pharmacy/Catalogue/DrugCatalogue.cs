using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ndhm.Pharmacy.Catalogue;

/// <summary>
/// The drug catalogue: composition, strength, form, schedule and TPG list per drug code. The platform ships a small
/// sample (<c>Catalogue/drug-catalogue.sample.json</c>, embedded); an operator replaces it with a file of the same
/// shape named by <c>Pharmacy__CatalogueFile</c>. A catalogue that does not load stops the host at start-up rather
/// than letting it prescribe against a partial list.
/// </summary>
public sealed class DrugCatalogue
{
    public const string SampleResource = "Ndhm.Pharmacy.drug-catalogue.sample.json";

    private readonly Dictionary<string, Drug> byCode;

    public DrugCatalogue(string version, IEnumerable<Drug> drugs)
    {
        Version = version;
        byCode = new Dictionary<string, Drug>(StringComparer.Ordinal);
        foreach (var drug in drugs)
        {
            if (!byCode.TryAdd(drug.Code, drug))
                throw new InvalidOperationException($"The drug catalogue lists {drug.Code} twice.");
        }
    }

    public string Version { get; }

    public IReadOnlyCollection<Drug> Drugs => byCode.Values;

    public Drug? Find(string? code) => code is not null && byCode.TryGetValue(code, out var drug) ? drug : null;

    /// <summary>Drugs with the same composition and strength as <paramref name="drug"/> (not itself).</summary>
    public IReadOnlyList<Drug> SubstitutesFor(Drug drug) => byCode.Values.Where(d => d.IsSubstituteFor(drug)).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();

    public static DrugCatalogue Sample()
    {
        using var stream = typeof(DrugCatalogue).Assembly.GetManifestResourceStream(SampleResource)
                           ?? throw new InvalidOperationException("The sample drug catalogue is not embedded.");
        return Load(stream);
    }

    /// <summary>Reads a catalogue file; InvalidOperationException naming the first bad entry.</summary>
    public static DrugCatalogue Load(Stream json)
    {
        var file = JsonSerializer.Deserialize<CatalogueFile>(json, FileOptions)
                   ?? throw new InvalidOperationException("The drug catalogue is empty.");
        if (file.Drugs is not { Count: > 0 }) throw new InvalidOperationException("The drug catalogue lists no drugs.");
        var drugs = file.Drugs.Select((d, i) =>
        {
            if (string.IsNullOrWhiteSpace(d.Code) || d.Code.Length > 64 || string.IsNullOrWhiteSpace(d.Name) || string.IsNullOrWhiteSpace(d.Composition)
                || string.IsNullOrWhiteSpace(d.Strength) || string.IsNullOrWhiteSpace(d.Form))
                throw new InvalidOperationException($"Drug #{i + 1} of the catalogue needs code (at most 64 characters), name, composition, strength and form.");
            if (!TryEnum(d.Schedule, out DrugSchedule schedule)) throw new InvalidOperationException($"Drug {d.Code}: schedule must be OTC, G, H, H1 or X.");
            if (!TryEnum(d.TpgList, out TpgList list)) throw new InvalidOperationException($"Drug {d.Code}: tpgList must be O, A, B or PROHIBITED.");
            if (d.AtcClass is not null && !IsAtcLevel2(d.AtcClass))
                throw new InvalidOperationException($"Drug {d.Code}: atcClass must be an ATC level-2 code (a letter and two digits, e.g. J01).");
            return new Drug(d.Code.Trim(), d.Name.Trim(), d.Composition.Trim(), d.Strength.Trim(), d.Form.Trim(), schedule, list, d.NarcoticOrPsychotropic,
                d.AtcClass);
        });
        return new DrugCatalogue(file.Version ?? "unversioned", drugs.ToList());
    }

    private static bool IsAtcLevel2(string code) => code.Length == 3 && code[0] is >= 'A' and <= 'Z' && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]);

    private static bool TryEnum<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static readonly JsonSerializerOptions FileOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private sealed record CatalogueFile(string? Version, List<CatalogueEntry>? Drugs);

    private sealed record CatalogueEntry(
        string? Code, string? Name, string? Composition, string? Strength, string? Form, string? Schedule, string? TpgList,
        [property: JsonPropertyName("narcoticOrPsychotropic")] bool NarcoticOrPsychotropic,
        string? AtcClass);
}
