using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Json;
using Ndhm.Privacy.Export;

namespace Ndhm.Consent;

/// <summary>
/// The consent manager's part of the patient's data export: every consent request made for the patient, whatever its
/// state, with the decisions, the signed artefacts and their status events, in the shape the patient's own consent
/// endpoints show (<see cref="ConsentRequestView"/>).
/// </summary>
public sealed class ConsentExportSection(IConsentStore store) : IPatientDataExportSection
{
    /// <summary>A patient's whole consent history fits in one page of this size; more would be a fault worth seeing.</summary>
    public const int MaxRecords = 10_000;

    public string Name => PatientDataExport.ConsentsSection;

    public async Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var records = await store.ListForPatientAsync(subject.AbhaNumber, status: null, emergencyOnly: false, MaxRecords, ct).ConfigureAwait(false);
        return JsonSerializer.SerializeToNode(records.OrderByDescending(r => r.CreatedAt).Select(ConsentRequestView.From).ToList(), NdhmJson.Options);
    }
}
