using Azure.Storage.Blobs;
using Ndhm.Infrastructure.Privacy;
using Ndhm.Infrastructure.Storage;
using Ndhm.Phr.Records;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Phr;

/// <summary>
/// Large payloads of the patient's health record in Blob storage (<c>health-records/&lt;patient hash&gt;/&lt;record id&gt;</c>),
/// encrypted with the patient's data key as they stream (<see cref="EncryptedBlobs"/>: chunked AES-GCM bound to the blob's name).
/// </summary>
public sealed class BlobHealthRecordPayloads(StorageClients storage, EncryptedBlobs blobs, PhrPatientKeys keys) : IHealthRecordPayloads
{
    public const string ContainerName = "health-records";

    private readonly Lazy<Task<BlobContainerClient>> container = new(async () =>
    {
        var client = storage.Blobs.GetBlobContainerClient(ContainerName);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    });

    public async Task WriteAsync(string patientNumber, string recordId, Stream plaintext, CancellationToken ct) =>
        await blobs.UploadAsync(await BlobAsync(patientNumber, recordId, ct).ConfigureAwait(false), DataKeyScope.Patient(patientNumber), plaintext, ct)
            .ConfigureAwait(false);

    public async Task CopyToAsync(string patientNumber, string recordId, Stream destination, CancellationToken ct) =>
        await blobs.DownloadAsync(await BlobAsync(patientNumber, recordId, ct).ConfigureAwait(false), DataKeyScope.Patient(patientNumber), destination, ct)
            .ConfigureAwait(false);

    public async Task DeleteAsync(string patientNumber, string recordId, CancellationToken ct) =>
        await (await BlobAsync(patientNumber, recordId, ct).ConfigureAwait(false)).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);

    public async Task<int> DeleteAllAsync(string patientNumber, CancellationToken ct)
    {
        var client = await container.Value.ConfigureAwait(false);
        var prefix = await keys.PatientAsync(patientNumber, ct).ConfigureAwait(false) + "/";
        var deleted = 0;
        await foreach (var item in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, ct).ConfigureAwait(false))
        {
            if ((await client.DeleteBlobIfExistsAsync(item.Name, cancellationToken: ct).ConfigureAwait(false)).Value) deleted++;
        }

        return deleted;
    }

    /// <summary>The blob of a record (for tests that look at the raw bytes).</summary>
    public async Task<BlobClient> BlobAsync(string patientNumber, string recordId, CancellationToken ct)
    {
        var client = await container.Value.ConfigureAwait(false);
        return client.GetBlobClient(await keys.PatientAsync(patientNumber, ct).ConfigureAwait(false) + "/" + recordId);
    }
}
