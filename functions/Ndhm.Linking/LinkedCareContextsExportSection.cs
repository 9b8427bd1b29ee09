using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Json;
using Ndhm.Privacy.Export;

namespace Ndhm.Linking;

/// <summary>
/// Linking's part of the patient's data export: the care contexts linked to the patient at each HIP (HIP, the HIP's
/// patient reference, each care context's reference and display, when linked). The records themselves stay with the
/// HIPs until a consent brings them; this is the index of where they are. Read from the store, not through
/// <see cref="ILinkedCareContexts"/>, which audits each read: the export is recorded once, as <c>data.export</c>.
/// </summary>
public sealed class LinkedCareContextsExportSection(ICareContextLinkStore store) : IPatientDataExportSection
{
    public const string SectionName = "careContextLinks";

    public string Name => SectionName;

    public async Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var links = await store.ListLinksAsync(subject.AbhaNumber, ct).ConfigureAwait(false);
        return JsonSerializer.SerializeToNode(links.SelectMany(l => l.View()).ToList(), NdhmJson.Options);
    }
}
