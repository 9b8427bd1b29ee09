using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Audit;
using Ndhm.Core.Errors;
using Ndhm.Phr.Consents;
using Ndhm.Phr.Documents;
using Ndhm.Phr.Records;

namespace Ndhm.Phr;

/// <summary>A pulled or provider record as stored, and whether this call stored it (false: it was there already).</summary>
public sealed record PulledRecordResult(HealthRecord Record, bool Created);

/// <summary>One record with its FHIR bundle (pulled and provider records; null for uploads, whose metadata is the record).</summary>
public sealed record HealthRecordDetail(HealthRecord Record, JsonNode? Bundle);

/// <summary>A file to send: its media type, download name and length, written to the response as it streams.</summary>
public sealed record HealthRecordAttachment(string ContentType, string FileName, long? Length, Func<Stream, CancellationToken, Task> WriteToAsync);

/// <summary>
/// The patient's health record (the PHR back end): records pulled from HIPs under a consent (handed over by the
/// data-transfer capability's HIU side), documents the patient uploads, and the patient's reads, each audited.
/// Payloads up to <see cref="PhrOptions.InlinePayloadBytes"/> are stored inline in the record's document, larger ones
/// stream to Blob storage; both encrypted with the patient's data key by the adapters.
/// </summary>
public sealed class PhrRecordService(
    IHealthRecordStore store,
    IHealthRecordPayloads payloads,
    IPatientConsentGrants consents,
    PhrAudit audit,
    PhrOptions options,
    TimeProvider time)
{
    public const string BundleContentType = "application/fhir+json";
    private const int MaxIdLength = 256;

    /// <summary>
    /// Stores one decrypted, validated bundle a HIP sent under a consent. Idempotent by (transaction, care context,
    /// hiType): the same item handed over again returns the record already stored (Created false) and changes nothing.
    /// </summary>
    public async Task<PulledRecordResult> AddPulledRecordAsync(PulledHealthRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        var patient = PatientNumber(record.PatientNumber);
        var hiType = CanonicalHiType(record.HiType);
        var transactionId = RequiredId(record.TransactionId, "transactionId");
        var careContext = RequiredId(record.CareContextReference, "careContextReference");
        var artefactId = RequiredId(record.ConsentArtefactId, "consentArtefactId");
        var hipId = RequiredId(record.HipId, "hipId");
        var bytes = BundleBytes(record.BundleJson);
        var bundle = ParseBundle(record.BundleJson);

        var now = time.GetUtcNow();
        var stored = BundleRecord(HealthRecordIds.ForPulled(patient, transactionId, careContext, hiType), patient, HealthRecordSource.Pulled, hiType,
            record.RecordDate ?? BundleTimestamp(bundle) ?? now, bytes, BundleTitle(bundle), hipId, careContext) with
        {
            ConsentArtefactId = artefactId,
            TransactionId = transactionId,
            DataEraseAt = record.DataEraseAt,
        };
        return await AddBundleOnceAsync(stored, bytes, $"{hiType} from {hipId}", new AuditActor("system:phr", []), null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a record a care provider wrote on the platform (a teleconsultation's notes, an e-prescription, a pharmacy's
    /// dispensing; the platform is its HIP). Idempotent by (patient, facility, care context, hiType): a retried or
    /// redelivered write returns the record already stored (Created false) and changes nothing. Audited
    /// <c>phr.record.store</c> by the acting caller (else <see cref="ProviderHealthRecord.Author"/>). Kept until the
    /// patient's erasure (no consent's dataEraseAt applies).
    /// </summary>
    public async Task<PulledRecordResult> AddProviderRecordAsync(ProviderHealthRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        var patient = PatientNumber(record.PatientNumber);
        var hiType = CanonicalHiType(record.HiType);
        var hipId = RequiredId(record.HipId, "hipId");
        var careContext = RequiredId(record.CareContextReference, "careContextReference");
        var bytes = BundleBytes(record.BundleJson);
        var bundle = ParseBundle(record.BundleJson);

        var stored = BundleRecord(HealthRecordIds.ForProvider(patient, hipId, careContext, hiType), patient, HealthRecordSource.Provider, hiType,
            record.RecordDate, bytes, OptionalText(record.Title, "title", 200) ?? BundleTitle(bundle), hipId, careContext);
        var author = record.Author is { Length: > 0 } name ? new AuditActor(name, []) : null;
        return await AddBundleOnceAsync(stored, bytes, $"{hiType} from {hipId}", null, author, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The provider records of one care context at <paramref name="hipId"/> of the given hiTypes (metadata, no bundle):
    /// their ids are name-based, so each is one point read. For the platform serving these records as their HIP.
    /// </summary>
    public async Task<IReadOnlyList<HealthRecord>> FindProviderRecordsAsync(string patientNumber, string hipId, string careContextReference,
        IEnumerable<string> hiTypes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hiTypes);
        var patient = PatientNumber(patientNumber);
        var found = new List<HealthRecord>();
        foreach (var hiType in hiTypes.Select(HiTypes.Canonical).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var id = HealthRecordIds.ForProvider(patient, hipId, careContextReference, hiType);
            if (await store.FindAsync(patient, id, withPayload: false, ct).ConfigureAwait(false) is { Record.Source: HealthRecordSource.Provider } stored)
                found.Add(stored.Record);
        }

        return found;
    }

    /// <summary>
    /// A provider record's bundle (UTF-8 JSON) read to send it to a HIU under consent <paramref name="consentArtefactId"/>;
    /// audited <c>phr.record.read</c> on the patient's chain by <paramref name="reader"/> (the platform as HIP). Null when
    /// there is no such provider record.
    /// </summary>
    public async Task<byte[]?> ReadProviderBundleForConsentAsync(string patientNumber, string recordId, AuditActor reader, string consentArtefactId,
        string outcome, CancellationToken ct)
    {
        var patient = PatientNumber(patientNumber);
        var id = HealthRecordIds.Normalise(recordId);
        if (id is null || await store.FindAsync(patient, id, withPayload: true, ct).ConfigureAwait(false) is not { Record.Source: HealthRecordSource.Provider } stored)
            return null;
        await audit.RecordAsync(patient, PhrAudit.RecordRead, id, outcome, ct, consentArtefactId, reader).ConfigureAwait(false);
        return await PayloadBytesAsync(stored, ct).ConfigureAwait(false);
    }

    private static string CanonicalHiType(string? value) =>
        HiTypes.Canonical(value) ?? throw PhrErrors.Invalid(PhrErrors.InvalidRecord, $"'{value}' is not an ABDM hiType.");

    private byte[] BundleBytes(string? json)
    {
        var bytes = Encoding.UTF8.GetBytes(json ?? "");
        return bytes.Length > options.MaxUploadBytes ? throw PhrErrors.TooLarge(options.MaxUploadBytes) : bytes;
    }

    /// <summary>A record whose payload is a FHIR bundle (pulled or provider), stored now.</summary>
    private HealthRecord BundleRecord(string id, string patient, HealthRecordSource source, string hiType, DateTimeOffset recordDate, byte[] bytes,
        string? title, string hipId, string careContext) => new()
    {
        Id = id,
        PatientNumber = patient,
        Source = source,
        HiType = hiType,
        RecordDate = recordDate,
        StoredAt = time.GetUtcNow(),
        ContentType = BundleContentType,
        SizeBytes = bytes.Length,
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
        PayloadInBlob = bytes.Length > options.InlinePayloadBytes,
        Title = title,
        HipId = hipId,
        CareContextReference = careContext,
    };

    /// <summary>Creates the record (create-only by its name-based id) unless it exists; audits only the write that created it.</summary>
    private async Task<PulledRecordResult> AddBundleOnceAsync(HealthRecord stored, byte[] bytes, string outcome, AuditActor? actor, AuditActor? fallback,
        CancellationToken ct)
    {
        var patient = stored.PatientNumber;
        if (await store.FindAsync(patient, stored.Id, withPayload: false, ct).ConfigureAwait(false) is { } existing)
            return new PulledRecordResult(existing.Record, Created: false);

        var created = await CreateAsync(stored, stored.PayloadInBlob ? null : bytes,
            stored.PayloadInBlob ? () => new MemoryStream(bytes, writable: false) : null, ct).ConfigureAwait(false);
        if (!created)
        {
            // A concurrent write of the same item won the race: its record is the one.
            var winner = await store.FindAsync(patient, stored.Id, withPayload: false, ct).ConfigureAwait(false)
                         ?? throw new InvalidOperationException("A record vanished after a conflicting create.");
            return new PulledRecordResult(winner.Record, Created: false);
        }

        await audit.RecordAsync(patient, PhrAudit.RecordStore, stored.Id, outcome, ct, stored.ConsentArtefactId, actor, fallback).ConfigureAwait(false);
        return new PulledRecordResult(stored, Created: true);
    }

    /// <summary>
    /// Stores a document the patient uploads: its type sniffed from its first bytes (it must be the declared
    /// Content-Type, and a PDF, JPEG or PNG), its whole content scanned as it streams, at most
    /// <see cref="PhrOptions.MaxUploadBytes"/>. Nothing is kept of a refused upload.
    /// </summary>
    public async Task<HealthRecord> UploadAsync(HealthDocumentUpload upload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var patient = PatientNumber(upload.PatientNumber);
        var declared = DocumentType.FromContentType(upload.DeclaredContentType);
        var header = new byte[DocumentSniffer.HeaderBytes];
        var headerLength = await ReadFullAsync(upload.Content, header, ct).ConfigureAwait(false);
        if (headerLength == 0) throw PhrErrors.Empty();
        var sniffed = DocumentSniffer.Sniff(header.AsSpan(0, headerLength));
        if (sniffed.Refusal is not null) throw PhrErrors.Refused(sniffed.Refusal);
        if (declared is null) throw PhrErrors.Unsupported(upload.DeclaredContentType);
        if (sniffed.Type is null) throw PhrErrors.Mismatch(declared.ContentType, sniffed.Description);
        if (sniffed.Type != declared) throw PhrErrors.Mismatch(declared.ContentType, sniffed.Description);

        var id = HealthRecordIds.NewUploadId();
        var title = OptionalText(upload.Title, "title", 200);
        var fileName = SafeFileName(upload.FileName);
        await using var inspected = new InspectedUpload(header.AsMemory(0, headerLength), upload.Content, declared, options.MaxUploadBytes);

        // Read up to the inline threshold; what is larger streams on to Blob storage through the same inspection.
        var buffer = new byte[options.InlinePayloadBytes + 1];
        var buffered = await ReadFullAsync(inspected, buffer, ct).ConfigureAwait(false);
        var inBlob = buffered > options.InlinePayloadBytes;
        if (inBlob)
        {
            try
            {
                await payloads.WriteAsync(patient, id, new PrefixedStream(buffer.AsMemory(0, buffered), inspected), ct).ConfigureAwait(false);
                if (!inspected.IsComplete) throw new InvalidOperationException("The blob upload stopped before the end of the document.");
            }
            catch
            {
                await DeletePayloadQuietlyAsync(patient, id).ConfigureAwait(false);
                throw;
            }
        }

        var now = time.GetUtcNow();
        var record = new HealthRecord
        {
            Id = id,
            PatientNumber = patient,
            Source = HealthRecordSource.Uploaded,
            HiType = HiTypes.HealthDocumentRecord,
            RecordDate = upload.RecordDate ?? now,
            StoredAt = now,
            ContentType = declared.ContentType,
            SizeBytes = inspected.BytesRead,
            Sha256 = inspected.Sha256,
            PayloadInBlob = inBlob,
            Title = title ?? fileName ?? "Health document",
            FileName = fileName,
        };
        try
        {
            if (!await store.TryCreateAsync(record, inBlob ? null : buffer[..buffered], ct).ConfigureAwait(false))
                throw new InvalidOperationException("A fresh upload id was already taken.");
        }
        catch
        {
            if (inBlob) await DeletePayloadQuietlyAsync(patient, id).ConfigureAwait(false);
            throw;
        }

        await audit.RecordAsync(patient, PhrAudit.DocumentUpload, id, $"{declared.Name}, {record.SizeBytes} bytes", ct).ConfigureAwait(false);
        return record;
    }

    /// <summary>A page of the patient's timeline, newest first; audited as one read naming how many records were shown.</summary>
    public async Task<TimelinePage> ListAsync(string patientNumber, TimelineFilter filter, string? continuationToken, int? pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var patient = PatientNumber(patientNumber);
        if (filter.From is { } from && filter.To is { } to && from > to)
            throw PhrErrors.Invalid(PhrErrors.InvalidFilter, "from must not be after to.");
        var take = pageSize switch
        {
            null => options.MaxPageSize,
            < 1 => throw PhrErrors.Invalid(PhrErrors.InvalidFilter, $"pageSize must be between 1 and {options.MaxPageSize}."),
            _ => Math.Min(pageSize.Value, options.MaxPageSize),
        };
        var before = string.IsNullOrEmpty(continuationToken) ? null : TimelineCursor.Decode(continuationToken);
        var found = await store.ListAsync(patient, filter, before, take + 1, ct).ConfigureAwait(false);
        var page = found.Take(take).ToList();
        var next = found.Count > take ? TimelineCursor.Encode(TimelineCursor.SortKey(page[^1])) : null;
        await audit.RecordAsync(patient, PhrAudit.TimelineRead, "timeline", $"listed {page.Count}", ct).ConfigureAwait(false);
        return new TimelinePage(page, next);
    }

    /// <summary>One record: for a pulled one its FHIR bundle too. Another patient's record is NOT_FOUND, as is an unknown id.</summary>
    public async Task<HealthRecordDetail> GetAsync(string patientNumber, string recordId, CancellationToken ct)
    {
        var patient = PatientNumber(patientNumber);
        var stored = await FindOwnAsync(patient, recordId, ct).ConfigureAwait(false);
        var record = stored.Record;
        JsonNode? bundle = null;
        if (record.HasBundle())
            bundle = JsonNode.Parse(await PayloadAsync(stored, ct).ConfigureAwait(false));
        await audit.RecordAsync(patient, PhrAudit.RecordRead, record.Id, record.HiType, ct, record.ConsentArtefactId).ConfigureAwait(false);
        return new HealthRecordDetail(record, bundle);
    }

    /// <summary>
    /// The raw file: an upload as it was sent, or the <paramref name="index"/>th attachment (base64 <c>data</c>) of a
    /// pulled bundle, typed by sniffing (an attachment that is not a PDF, JPEG or PNG goes out as
    /// application/octet-stream, never as what the HIP claimed).
    /// </summary>
    public async Task<HealthRecordAttachment> GetAttachmentAsync(string patientNumber, string recordId, int index, CancellationToken ct)
    {
        var patient = PatientNumber(patientNumber);
        var stored = await FindOwnAsync(patient, recordId, ct).ConfigureAwait(false);
        var record = stored.Record;
        HealthRecordAttachment attachment;
        if (record.Source == HealthRecordSource.Uploaded)
        {
            var type = DocumentType.FromContentType(record.ContentType) ?? DocumentType.Pdf;
            var name = DownloadName(record.FileName, record.Id, type);
            attachment = record.PayloadInBlob
                ? new HealthRecordAttachment(type.ContentType, name, record.SizeBytes, (destination, token) => payloads.CopyToAsync(patient, record.Id, destination, token))
                : new HealthRecordAttachment(type.ContentType, name, record.SizeBytes, (destination, token) => destination.WriteAsync(stored.InlinePayload!, token).AsTask());
        }
        else
        {
            var bundle = JsonNode.Parse(await PayloadAsync(stored, ct).ConfigureAwait(false));
            var data = BundleAttachments.Find(bundle).ElementAtOrDefault(index)
                       ?? throw new DomainException(ErrorKind.NotFound, PhrErrors.NoAttachment, "The record has no such attachment.",
                           $"The bundle holds no attachment with data at index {index}.");
            var type = DocumentSniffer.Sniff(data.Bytes).Type;
            var name = DownloadName(data.Title, record.Id + "-" + index, type);
            attachment = new HealthRecordAttachment(type?.ContentType ?? "application/octet-stream", name, data.Bytes.Length,
                (destination, token) => destination.WriteAsync(data.Bytes, token).AsTask());
        }

        await audit.RecordAsync(patient, PhrAudit.AttachmentRead, record.Id, attachment.ContentType, ct, record.ConsentArtefactId).ConfigureAwait(false);
        return attachment;
    }

    /// <summary>
    /// The patient deletes one of their uploads. Pulled records (they expire at dataEraseAt) and provider records (the
    /// provider's clinical record of the care) cannot be deleted: 409.
    /// </summary>
    public async Task DeleteUploadAsync(string patientNumber, string recordId, CancellationToken ct)
    {
        var patient = PatientNumber(patientNumber);
        var record = (await FindOwnAsync(patient, recordId, ct, withPayload: false).ConfigureAwait(false)).Record;
        if (record.Source != HealthRecordSource.Uploaded)
            throw new DomainException(ErrorKind.Conflict, PhrErrors.NotDeletable, "Only your own uploads can be deleted.",
                record.Source == HealthRecordSource.Pulled
                    ? "A record a HIP sent under a consent is erased at the consent's dataEraseAt; only your own uploads can be deleted."
                    : "A record your care provider wrote is their clinical record of the care; only your own uploads can be deleted.");
        // The document first: a crash after it leaves an unreachable blob (removed with the patient's erasure), never a record without its file.
        if (!await store.DeleteAsync(patient, record.Id, ct).ConfigureAwait(false)) throw PhrErrors.NotFound();
        if (record.PayloadInBlob) await payloads.DeleteAsync(patient, record.Id, ct).ConfigureAwait(false);
        await audit.RecordAsync(patient, PhrAudit.DocumentDelete, record.Id, "deleted", ct).ConfigureAwait(false);
    }

    /// <summary>Which consents currently let whom see what: the patient's granted, unexpired artefacts. Audited.</summary>
    public async Task<IReadOnlyList<ConsentGrant>> ListSharingAsync(string patientNumber, CancellationToken ct)
    {
        var patient = PatientNumber(patientNumber);
        var grants = await consents.ListActiveAsync(patient, time.GetUtcNow(), ct).ConfigureAwait(false);
        await audit.RecordAsync(patient, PhrAudit.SharingRead, "sharing", $"listed {grants.Count}", ct).ConfigureAwait(false);
        return grants;
    }

    /// <summary>
    /// Erases the pulled records whose dataEraseAt has passed (document, then payload), each recorded on the patient's
    /// chain. Asks the store what is due, so a host that was down catches up on its next run; how many were erased.
    /// </summary>
    public async Task<int> EraseDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = await store.ListEraseDueAsync(now, options.EraseBatch, ct).ConfigureAwait(false);
        var erased = 0;
        foreach (var key in due)
        {
            var stored = await store.FindAsync(key.PatientNumber, key.RecordId, withPayload: false, ct).ConfigureAwait(false);
            if (stored is null || !stored.Record.IsEraseDue(now)) continue;
            if (await store.DeleteAsync(key.PatientNumber, key.RecordId, ct).ConfigureAwait(false)) erased++;
            if (stored.Record.PayloadInBlob) await payloads.DeleteAsync(key.PatientNumber, key.RecordId, ct).ConfigureAwait(false);
            await audit.RecordAsync(key.PatientNumber, PhrAudit.RecordErase, key.RecordId, "dataEraseAt passed", ct, stored.Record.ConsentArtefactId,
                AuditActor.System("phr-erasure")).ConfigureAwait(false);
        }

        return erased;
    }

    /// <summary>Every record of the patient with its payload (the data export; not audited: the export is).</summary>
    public async IAsyncEnumerable<(HealthRecord Record, byte[] Payload)> ReadAllAsync(string patientNumber,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var patient = PatientNumber(patientNumber);
        string? before = null;
        while (true)
        {
            var page = await store.ListAsync(patient, new TimelineFilter(), before, options.MaxPageSize, ct).ConfigureAwait(false);
            foreach (var record in page)
            {
                if (await store.FindAsync(patient, record.Id, withPayload: true, ct).ConfigureAwait(false) is not { } stored) continue;
                yield return (stored.Record, await PayloadBytesAsync(stored, ct).ConfigureAwait(false));
            }

            if (page.Count < options.MaxPageSize) yield break;
            before = TimelineCursor.SortKey(page[^1]);
        }
    }

    private async Task<StoredHealthRecord> FindOwnAsync(string patient, string recordId, CancellationToken ct, bool withPayload = true)
    {
        var id = HealthRecordIds.Normalise(recordId) ?? throw PhrErrors.NotFound();
        return await store.FindAsync(patient, id, withPayload, ct).ConfigureAwait(false) ?? throw PhrErrors.NotFound();
    }

    private async Task<bool> CreateAsync(HealthRecord record, byte[]? inline, Func<Stream>? blob, CancellationToken ct)
    {
        if (blob is not null)
        {
            await using var content = blob();
            await payloads.WriteAsync(record.PatientNumber, record.Id, content, ct).ConfigureAwait(false);
        }

        return await store.TryCreateAsync(record, inline, ct).ConfigureAwait(false);
    }

    private async Task<string> PayloadAsync(StoredHealthRecord stored, CancellationToken ct) =>
        Encoding.UTF8.GetString(await PayloadBytesAsync(stored, ct).ConfigureAwait(false));

    private async Task<byte[]> PayloadBytesAsync(StoredHealthRecord stored, CancellationToken ct)
    {
        if (!stored.Record.PayloadInBlob) return stored.InlinePayload ?? [];
        using var buffer = new MemoryStream();
        await payloads.CopyToAsync(stored.Record.PatientNumber, stored.Record.Id, buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private async Task DeletePayloadQuietlyAsync(string patient, string id)
    {
        try
        {
            await payloads.DeleteAsync(patient, id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: an orphan blob is unreachable and goes with the patient's erasure.
        }
    }

    /// <summary>The 14 digits of an ABHA number (hyphens allowed on input).</summary>
    public static string PatientNumber(string? value)
    {
        var digits = (value ?? "").Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 14 && digits.All(char.IsAsciiDigit)
            ? digits
            : throw PhrErrors.Invalid(PhrErrors.InvalidRecord, "The patient is named by the 14 digits of their ABHA number.");
    }

    private static string RequiredId(string? value, string field)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxIdLength || trimmed.Any(char.IsControl)
            ? throw PhrErrors.Invalid(PhrErrors.InvalidRecord, $"{field} is required (at most {MaxIdLength} characters, no control characters).")
            : trimmed;
    }

    private static string? OptionalText(string? value, string field, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return null;
        return trimmed.Length > max || trimmed.Any(char.IsControl) || trimmed.Any(Ndhm.Core.Text.TextPolicy.IsBidiControl)
            ? throw PhrErrors.Invalid(PhrErrors.InvalidRecord, $"{field} must be at most {max} characters without control characters.")
            : trimmed;
    }

    /// <summary>A file name is only shown back: its last path segment, printable, at most 120 characters; never used for the type.</summary>
    private static string? SafeFileName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var last = value.Replace('\\', '/').Split('/').Last().Trim();
        var clean = new string(last.Where(c => !char.IsControl(c) && !Ndhm.Core.Text.TextPolicy.IsBidiControl(c) && c is not ('"' or ';')).ToArray());
        return clean.Length == 0 ? null : clean.Length > 120 ? clean[..120] : clean;
    }

    /// <summary>The download name: the given name with the extension of what the content is (a renamed file cannot keep a misleading one).</summary>
    private static string DownloadName(string? name, string fallback, DocumentType? type)
    {
        var stem = SafeFileName(name) is { } safe ? Path.GetFileNameWithoutExtension(safe) : fallback;
        if (string.IsNullOrWhiteSpace(stem)) stem = fallback;
        return stem + (type?.Extension ?? ".bin");
    }

    private static JsonObject ParseBundle(string? json)
    {
        try
        {
            if (JsonNode.Parse(json ?? "") is JsonObject bundle && bundle["resourceType"]?.GetValueKind() == JsonValueKind.String
                && bundle["resourceType"]!.GetValue<string>() == "Bundle")
                return bundle;
        }
        catch (JsonException)
        {
        }

        throw PhrErrors.Invalid(PhrErrors.InvalidRecord, "bundleJson must be a FHIR R4 Bundle in JSON.");
    }

    private static DateTimeOffset? BundleTimestamp(JsonObject bundle) =>
        bundle["timestamp"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>The Composition's title, when the bundle is a document with one (what the timeline shows).</summary>
    private static string? BundleTitle(JsonObject bundle) =>
        (bundle["entry"] as JsonArray)?.Select(e => e?["resource"]).OfType<JsonObject>()
        .FirstOrDefault(r => r["resourceType"]?.GetValueKind() == JsonValueKind.String && r["resourceType"]!.GetValue<string>() == "Composition")?["title"] is JsonValue title
        && title.GetValueKind() == JsonValueKind.String
            ? title.GetValue<string>() is { Length: <= 200 } text ? text : title.GetValue<string>()[..200]
            : null;

    private static async Task<int> ReadFullAsync(Stream source, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (read == 0) break;
            total += read;
        }

        return total;
    }
}
