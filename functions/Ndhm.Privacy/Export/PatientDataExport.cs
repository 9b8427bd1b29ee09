using System.Globalization;
using System.Text.Json.Nodes;
using Ndhm.Audit;
using Ndhm.Core.Security;

namespace Ndhm.Privacy.Export;

/// <summary>The assembled export: the JSON document and the file name it is downloaded as.</summary>
public sealed record PatientDataExportDocument(string ExportId, string FileName, JsonObject Document);

/// <summary>
/// The patient's download of everything the platform holds about them (DPDP Act 2023 s.11): one JSON document with
/// <c>format</c>, <c>exportId</c>, <c>generatedAt</c>, <c>subject</c>, the <c>linkedRecords</c> FHIR Bundle (type
/// <c>collection</c>) of every <see cref="IPatientClinicalRecordSource"/>, and one member per registered
/// <see cref="IPatientDataExportSection"/> (Health ID's <c>profile</c>, the <c>nominee</c>, the <c>auditTrail</c>, and
/// what later capabilities add). <c>consents</c> is always present: an empty array until the consent capability
/// registers its section.
/// <para>
/// An erased patient (data key destroyed) gets SUBJECT_ERASED (410) before anything is read. The export is recorded on
/// the patient's chain (<c>data.export</c>) before any section is read, so a failed audit write fails the export and
/// the document's own trail ends with it. A section that fails fails the whole export: never a partial document.
/// </para>
/// </summary>
public sealed class PatientDataExport
{
    public const string Format = "ndhm-patient-export/1";
    public const string ExportAction = "data.export";
    public const string ResourceType = "patient-data";
    public const string LinkedRecordsSection = "linkedRecords";
    public const string ConsentsSection = "consents";

    private static readonly string[] Reserved = ["format", "exportId", "generatedAt", "subject", LinkedRecordsSection];

    // The order a reader meets them in; sections of later capabilities follow by name.
    private static readonly string[] KnownOrder = ["profile", LinkedRecordsSection, ConsentsSection, "nominee", AuditTrailExportSection.SectionName];

    private readonly IReadOnlyList<IPatientDataExportSection> sections;
    private readonly IReadOnlyList<IPatientClinicalRecordSource> clinical;
    private readonly DataKeyRing keys;
    private readonly IAuditTrail trail;
    private readonly ICurrentAuditActor current;
    private readonly TimeProvider time;

    public PatientDataExport(IEnumerable<IPatientDataExportSection> sections, IEnumerable<IPatientClinicalRecordSource> clinical,
        DataKeyRing keys, IAuditTrail trail, ICurrentAuditActor current, TimeProvider time)
    {
        this.sections = sections.ToList();
        this.clinical = clinical.ToList();
        this.keys = keys;
        this.trail = trail;
        this.current = current;
        this.time = time;
        foreach (var section in this.sections)
        {
            if (string.IsNullOrWhiteSpace(section.Name) || Reserved.Contains(section.Name, StringComparer.Ordinal))
                throw new InvalidOperationException($"The export section name '{section.Name}' is empty or reserved.");
        }

        if (this.sections.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new InvalidOperationException($"Two export sections are named '{duplicate.Key}'.");
    }

    /// <summary>The names of the document's sections, in document order (for documentation and tests).</summary>
    public IReadOnlyList<string> SectionNames => Ordered().Select(s => s.Name)
        .Append(LinkedRecordsSection).Append(ConsentsSection).Distinct(StringComparer.Ordinal).OrderBy(Rank).ThenBy(n => n, StringComparer.Ordinal).ToList();

    public async Task<PatientDataExportDocument> ExportAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await keys.EnsureNotErasedAsync(subject.DataKey, ct).ConfigureAwait(false);
        var exportId = Guid.NewGuid().ToString();
        var caller = current.Current;
        var actor = caller is { Subject.Length: > 0 } ? caller : new AuditActor(subject.AbhaNumber, [Roles.Patient], RequestId: caller?.RequestId);
        await trail.RecordAsync(new AuditEvent(subject.AuditChain, actor, ExportAction, new AuditResource(ResourceType, subject.AbhaNumber),
            Outcome: exportId), ct).ConfigureAwait(false);

        var at = time.GetUtcNow();
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var section in Ordered())
            values[section.Name] = await section.ExportAsync(subject, ct).ConfigureAwait(false);

        var records = new List<PatientClinicalRecord>();
        foreach (var source in clinical)
            records.AddRange(await source.GetRecordsAsync(subject, ct).ConfigureAwait(false));
        values[LinkedRecordsSection] = ClinicalRecordsBundle.Create(exportId, at, records);
        values.TryAdd(ConsentsSection, new JsonArray());

        var document = new JsonObject
        {
            ["format"] = Format,
            ["exportId"] = exportId,
            ["generatedAt"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["subject"] = new JsonObject { ["abhaNumber"] = subject.AbhaNumber },
        };
        foreach (var name in values.Keys.OrderBy(Rank).ThenBy(n => n, StringComparer.Ordinal))
            document[name] = values[name];
        var fileName = string.Create(CultureInfo.InvariantCulture, $"ndhm-patient-data-{subject.AbhaNumber}-{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.json");
        return new PatientDataExportDocument(exportId, fileName, document);
    }

    private IEnumerable<IPatientDataExportSection> Ordered() =>
        sections.OrderBy(s => Rank(s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal);

    private static int Rank(string name)
    {
        var index = Array.IndexOf(KnownOrder, name);
        return index < 0 ? KnownOrder.Length : index;
    }
}
