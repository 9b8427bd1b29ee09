using System.Text.Json.Nodes;
using Ndhm.Core.Abdm;

namespace Ndhm.Privacy.Export;

/// <summary>
/// The export's clinical data as a FHIR R4 Bundle of type <c>collection</c> (no server semantics: a set of resources
/// gathered for the patient). Built as FHIR JSON directly, so this library stays free of the FHIR SDK; the unit tests
/// parse it with the Firely SDK. FHIR JSON has no empty arrays, so a bundle with no records has no <c>entry</c>.
/// </summary>
public static class ClinicalRecordsBundle
{
    public const string IdentifierSystem = "urn:ndhm:patient-data-export";

    public static JsonObject Create(string exportId, DateTimeOffset at, IEnumerable<PatientClinicalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var timestamp = AbdmTimestamp.Of(at);
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = exportId,
            ["meta"] = new JsonObject { ["lastUpdated"] = timestamp },
            ["identifier"] = new JsonObject { ["system"] = IdentifierSystem, ["value"] = exportId },
            ["type"] = "collection",
            ["timestamp"] = timestamp,
        };
        var entries = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.Resource["resourceType"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
                throw new InvalidOperationException($"The clinical record {record.FullUrl} has no resourceType: not a FHIR resource.");
            if (!seen.Add(record.FullUrl))
                throw new InvalidOperationException($"Two clinical records share the fullUrl {record.FullUrl}.");
            entries.Add(new JsonObject { ["fullUrl"] = record.FullUrl, ["resource"] = record.Resource.DeepClone() });
        }

        if (entries.Count > 0) bundle["entry"] = entries;
        return bundle;
    }
}
