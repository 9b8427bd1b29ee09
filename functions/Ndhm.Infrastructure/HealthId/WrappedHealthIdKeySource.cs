using System.Security.Cryptography;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Keys;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>The <c>healthid-keys</c> document: one random 32-byte data key per purpose, wrapped by Key Vault.</summary>
public sealed record HealthIdKeysDocument(string Id, string Pk, WrappedKey IdentityHash, WrappedKey OtpHash, DateTimeOffset CreatedAt);

/// <summary>
/// <see cref="IHealthIdKeySource"/> by envelope encryption: the HMAC keys are random data keys generated once,
/// wrapped with the platform's Key Vault wrapping key (<see cref="IKeyWrapper"/>) and stored in the
/// <c>operations</c> container as <c>healthid-keys</c>; unwrapped once per process and kept in memory. No key in
/// code or configuration. The first process to start creates the document (create-only: racing starters converge
/// on the one that won).
/// </summary>
public sealed class WrappedHealthIdKeySource(CosmosClient client, CosmosSettings settings, IKeyWrapper wrapper, TimeProvider time)
    : IHealthIdKeySource
{
    public const string DocumentId = "healthid-keys";
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Operations.Name);
    private readonly SemaphoreSlim gate = new(1, 1);
    private Dictionary<HealthIdKeyPurpose, byte[]>? keys;

    public async ValueTask<byte[]> GetKeyAsync(HealthIdKeyPurpose purpose, CancellationToken ct)
    {
        var loaded = keys ?? await LoadAsync(ct).ConfigureAwait(false);
        return loaded[purpose];
    }

    private async Task<Dictionary<HealthIdKeyPurpose, byte[]>> LoadAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (keys is not null) return keys;
            var document = await CosmosDocuments.FindAsync<HealthIdKeysDocument>(container, DocumentId, DocumentId, ct).ConfigureAwait(false)
                ?? await CreateAsync(ct).ConfigureAwait(false);
            return keys = new Dictionary<HealthIdKeyPurpose, byte[]>
            {
                [HealthIdKeyPurpose.IdentityHash] = await wrapper.UnwrapAsync(document.IdentityHash, ct).ConfigureAwait(false),
                [HealthIdKeyPurpose.OtpHash] = await wrapper.UnwrapAsync(document.OtpHash, ct).ConfigureAwait(false),
            };
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<HealthIdKeysDocument> CreateAsync(CancellationToken ct)
    {
        var identity = RandomNumberGenerator.GetBytes(32);
        var otp = RandomNumberGenerator.GetBytes(32);
        var document = new HealthIdKeysDocument(DocumentId, DocumentId,
            await wrapper.WrapAsync(identity, ct).ConfigureAwait(false),
            await wrapper.WrapAsync(otp, ct).ConfigureAwait(false),
            time.GetUtcNow());
        CryptographicOperations.ZeroMemory(identity);
        CryptographicOperations.ZeroMemory(otp);
        if (await CosmosDocuments.TryCreateAsync(container, document, DocumentId, ct).ConfigureAwait(false) is not null)
            return document;
        // Another process created it first: everyone must use the same keys, so take theirs.
        return await CosmosDocuments.FindAsync<HealthIdKeysDocument>(container, DocumentId, DocumentId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The Health ID key document vanished.");
    }
}
