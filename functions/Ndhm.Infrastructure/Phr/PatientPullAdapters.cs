using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Consent;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.DataTransfer.PatientPulls;
using Ndhm.Fidelius;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.DataTransfer;
using Ndhm.Linking;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Phr;

/// <summary>The patient's identifiers for a pull, from Health ID through Linking's directory.</summary>
public sealed class DirectoryPullPatients(IPatientDirectory directory) : IPullPatients
{
    public async Task<PullPatient?> FindAsync(string abhaNumber, CancellationToken ct) =>
        await directory.FindAsync(abhaNumber, ct) is { } found ? new PullPatient(found.AbhaNumber, found.AbhaAddress, found.Mobile) : null;
}

/// <summary>The care contexts linked at a HIP, from Linking.</summary>
public sealed class LinkedPullCareContexts(ILinkedCareContexts links) : IPullLinkedCareContexts
{
    public async Task<IReadOnlyList<CareContextRef>> ListAsync(string abhaNumber, string hipId, CancellationToken ct) =>
        (await links.ListAsync(abhaNumber, hipId, ct)).Select(c => new CareContextRef(c.PatientReference, c.CareContextReference)).ToList();
}

/// <summary>The outcome of a pull by SMS (the patient notification port; the sandbox's SMS outbox), with a deep link to the transaction.</summary>
public sealed class SmsPullOutcomeNotifier(IPatientNotifier sms) : IPullOutcomeNotifier
{
    public Task TellAsync(PullPatient patient, PullOutcome outcome, CancellationToken ct)
    {
        if (patient.Mobile is null) return Task.CompletedTask;
        var text = outcome.Status == "TRANSFERRED"
            ? $"Your {outcome.Delivered} health record(s) from {outcome.HipId} are in your health locker."
            : $"Your records from {outcome.HipId}: {outcome.Delivered} of {outcome.CareContexts} arrived ({outcome.Status}).";
        return sms.SendSmsAsync(patient.Mobile, text, "ndhm://phr/pulls/" + outcome.TransactionId, ct);
    }
}

/// <summary>
/// A pull's key material in the <c>consents</c> container beside its transaction: id = pk = <c>phr-pull-key:&lt;transactionId&gt;</c>.
/// The private key and nonce are one <c>enc:v1</c> field under the patient's data key (erasing the patient erases it);
/// the document is deleted when the transfer closes and carries a TTL past the key's expiry in case it never does.
/// </summary>
public sealed class CosmosPullKeyVault(CosmosClient client, CosmosSettings settings, FieldCipher cipher) : IPullKeyVault
{
    private const string KeyField = "key";

    private sealed record PullKeyDocument(string Id, string Pk, string DocType, string TransactionId, string Subject, long ExpiresAt, string Key);

    private sealed record SealedKey(string PrivateKey, string Nonce, DateTimeOffset Expiry);

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    private static string IdOf(string transactionId) => "phr-pull-key:" + transactionId;

    public async Task<FideliusKeyMaterial> KeepAsync(string transactionId, string abhaNumber, FideliusKeyMaterial material, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(material);
        var id = IdOf(transactionId);
        var json = JsonSerializer.Serialize(new SealedKey(material.PrivateKey.ToBase64(), material.Nonce.ToBase64(), material.Expiry), NdhmJson.Options);
        var sealedKey = await cipher.EncryptAsync(DataKeyScope.Patient(abhaNumber), id, KeyField, json, ct);
        var document = new PullKeyDocument(id, id, "phrPullKey", transactionId, abhaNumber, material.Expiry.ToUnixTimeMilliseconds(), sealedKey);
        if (await CosmosDocuments.TryCreateAsync(Container, document, id, ct) is not null) return material;
        return await FindAsync(transactionId, abhaNumber, ct) ?? material;
    }

    public async Task<FideliusKeyMaterial?> FindAsync(string transactionId, string abhaNumber, CancellationToken ct)
    {
        var id = IdOf(transactionId);
        if (await CosmosDocuments.FindAsync<PullKeyDocument>(Container, id, id, ct) is not { } found || found.Subject != abhaNumber) return null;
        var json = await cipher.DecryptAsync(DataKeyScope.Patient(found.Subject), id, KeyField, found.Key, ct);
        var key = JsonSerializer.Deserialize<SealedKey>(json, NdhmJson.Options)!;
        return FideliusKeyMaterial.Restore(FideliusPrivateKey.Parse(key.PrivateKey), FideliusNonce.Parse(key.Nonce), key.Expiry);
    }

    public Task DeleteAsync(string transactionId, CancellationToken ct) =>
        CosmosDocuments.TryDeleteAsync(Container, IdOf(transactionId), IdOf(transactionId), null, ct);
}

/// <summary>
/// What the platform HIU remembers of its own transactions: the transaction itself (artefact, patient, HIP, dataEraseAt)
/// and the key material kept for it. Transactions of other HIUs, or whose key is gone (closed), are unknown here.
/// </summary>
public sealed class PlatformHiuTransferContexts(ITransferStore transfers, IPullKeyVault keys) : IHiuTransferContexts
{
    public async Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct)
    {
        if (await transfers.FindAsync(transactionId, ct) is not { Value: { HiuPartnerId: PlatformHiu.PartnerId } transaction }) return null;
        var key = await keys.FindAsync(transaction.Id, transaction.PatientNumber, ct);
        return key is null ? null
            : new HiuTransferContext(transaction.Id, transaction.ConsentArtefactId, transaction.PatientAddress,
                transaction.Hips.Select(h => h.HipId).ToHashSet(StringComparer.Ordinal), transaction.DataEraseAt, key);
    }
}

/// <summary>Pages accepted per transaction (create-only marker documents <c>phr-push-page:&lt;tx&gt;:&lt;page id&gt;</c>: ids only).</summary>
public sealed class CosmosPushPageLog(CosmosClient client, CosmosSettings settings) : IPushPageLog
{
    private sealed record PushPageDocument(string Id, string Pk, string DocType, string TransactionId, string PageId);

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    private static string IdOf(string transactionId, string pageId) => $"phr-push-page:{transactionId}:{pageId}";

    public async Task<bool> WasAcceptedAsync(string transactionId, string pageId, CancellationToken ct)
    {
        var id = IdOf(transactionId, pageId);
        return await CosmosDocuments.FindAsync<PushPageDocument>(Container, id, id, ct) is not null;
    }

    public Task MarkAcceptedAsync(string transactionId, string pageId, CancellationToken ct)
    {
        var id = IdOf(transactionId, pageId);
        return CosmosDocuments.TryCreateAsync(Container, new PushPageDocument(id, id, "phrPushPage", transactionId, pageId), id, ct);
    }
}

/// <summary>
/// The transfer messenger with the platform's own HIU in mind: hip/request goes out as for any HIU, but the outcome of
/// a pull is not sent to a bridge (the platform has none): the key is deleted and the patient told.
/// </summary>
public sealed class PatientPullAwareMessenger(GatewayTransferMessenger inner, IPullKeyVault keys, IPullPatients patients, IPullOutcomeNotifier notifier)
    : ITransferMessenger
{
    public Task SendHipRequestAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct) =>
        inner.SendHipRequestAsync(transaction, hip, requestId, ct);

    public Task TellHiuAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct) =>
        transaction?.HiuPartnerId == PlatformHiu.PartnerId
            ? PatientPullService.ClosedAsync(transaction, keys, patients, notifier, ct)
            : inner.TellHiuAsync(transaction!, hip, requestId, ct);
}
