using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Privacy;

/// <summary>
/// Clinical payloads in Blob storage, encrypted with their subject's data key as they stream (never held whole). The
/// object id bound into the ciphertext is the blob's container/name, so a blob copied elsewhere does not decrypt.
/// </summary>
public sealed class EncryptedBlobs(StreamCipher cipher)
{
    public const string ContentType = "application/vnd.ndhm.encrypted";

    public async Task UploadAsync(BlobClient blob, DataKeyScope scope, Stream plaintext, CancellationToken ct)
    {
        var options = new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType } };
        await using var destination = await blob.OpenWriteAsync(overwrite: true, options, ct).ConfigureAwait(false);
        await cipher.EncryptAsync(scope, ObjectId(blob), plaintext, destination, ct).ConfigureAwait(false);
    }

    public async Task DownloadAsync(BlobClient blob, DataKeyScope scope, Stream destination, CancellationToken ct)
    {
        await using var source = await blob.OpenReadAsync(cancellationToken: ct).ConfigureAwait(false);
        await cipher.DecryptAsync(scope, ObjectId(blob), source, destination, ct).ConfigureAwait(false);
    }

    public static string ObjectId(BlobClient blob) => blob.BlobContainerName + "/" + blob.Name;
}
