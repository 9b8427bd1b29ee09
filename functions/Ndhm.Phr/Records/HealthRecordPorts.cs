namespace Ndhm.Phr.Records;

/// <summary>A record as read back, with its inline payload when asked for and stored inline.</summary>
public sealed record StoredHealthRecord(HealthRecord Record, byte[]? InlinePayload);

/// <summary>
/// Where records live (Cosmos <c>health-records</c>, one partition per patient keyed by a keyed hash of the ABHA
/// number): everything clinical encrypted with the patient's data key, plaintext only what queries need (source, hiType,
/// care date, erase time, a keyed hash of the HIP). Every read is by patient, so another patient's id finds nothing.
/// </summary>
public interface IHealthRecordStore
{
    Task<StoredHealthRecord?> FindAsync(string patientNumber, string recordId, bool withPayload, CancellationToken ct);

    /// <summary>Create-only: false when a record with this id exists for the patient (nothing changed).</summary>
    Task<bool> TryCreateAsync(HealthRecord record, byte[]? inlinePayload, CancellationToken ct);

    /// <summary>At most <paramref name="take"/> records matching <paramref name="filter"/> whose sort key is below <paramref name="before"/>, newest first.</summary>
    Task<IReadOnlyList<HealthRecord>> ListAsync(string patientNumber, TimelineFilter filter, string? before, int take, CancellationToken ct);

    /// <summary>False when there was no such record.</summary>
    Task<bool> DeleteAsync(string patientNumber, string recordId, CancellationToken ct);

    /// <summary>Pulled records whose dataEraseAt is at or before <paramref name="now"/> (any patient), oldest erase time first.</summary>
    Task<IReadOnlyList<HealthRecordKey>> ListEraseDueAsync(DateTimeOffset now, int take, CancellationToken ct);

    /// <summary>Removes every record of the patient (their erasure; works without their data key); how many.</summary>
    Task<int> DeleteAllAsync(string patientNumber, CancellationToken ct);
}

/// <summary>Large payloads in Blob storage, encrypted with the patient's data key as they stream (never held whole).</summary>
public interface IHealthRecordPayloads
{
    Task WriteAsync(string patientNumber, string recordId, Stream plaintext, CancellationToken ct);

    Task CopyToAsync(string patientNumber, string recordId, Stream destination, CancellationToken ct);

    Task DeleteAsync(string patientNumber, string recordId, CancellationToken ct);

    /// <summary>Removes every payload of the patient; how many.</summary>
    Task<int> DeleteAllAsync(string patientNumber, CancellationToken ct);
}
