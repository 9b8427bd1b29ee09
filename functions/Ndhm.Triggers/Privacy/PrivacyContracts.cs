using System.Text.Json;

namespace Ndhm.Triggers.Privacy;

/// <summary>
/// The shape of the patient's export (<see cref="Ndhm.Privacy.Export.PatientDataExport"/>) for the API reference.
/// Sections that later capabilities register appear as further members beside these.
/// </summary>
public sealed record PatientDataExportResponse(
    string Format,
    string ExportId,
    string GeneratedAt,
    PatientDataExportSubject Subject,
    JsonElement? Profile,
    JsonElement? LinkedRecords,
    JsonElement? Consents,
    JsonElement? Nominee,
    JsonElement? AuditTrail);

public sealed record PatientDataExportSubject(string AbhaNumber);
