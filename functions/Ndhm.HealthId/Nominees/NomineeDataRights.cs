using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Core.Json;
using Ndhm.HealthId.Numbers;
using Ndhm.Privacy.Export;

namespace Ndhm.HealthId.Nominees;

/// <summary>The nominee in the patient's export (<c>nominee</c>: the view, or null without one). Not separately audited: the export is.</summary>
public sealed class NomineeExportSection(INominationStore nominations) : IPatientDataExportSection
{
    public const string SectionName = "nominee";

    public string Name => SectionName;

    public async Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var stored = await nominations.FindAsync(AbhaNumber.Parse(subject.AbhaNumber), ct).ConfigureAwait(false);
        return stored is null ? null : JsonSerializer.SerializeToNode(NomineeView.From(stored.Value), NdhmJson.Options);
    }
}

/// <summary>Erasure removes the nomination document (its ciphertext is already unreadable once the patient's key is destroyed).</summary>
public sealed class NomineeErasure(INominationStore nominations) : IPatientErasureStep
{
    public Task EraseAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return nominations.DeleteAsync(AbhaNumber.Parse(subject.AbhaNumber), ifMatch: null, ct);
    }
}
