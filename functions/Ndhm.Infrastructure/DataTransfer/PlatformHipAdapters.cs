using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.PlatformHip;
using Ndhm.Fidelius;
using Ndhm.Gateway.Abdm;
using Ndhm.Gateway.Callbacks;
using Ndhm.Linking;
using Ndhm.Phr;

namespace Ndhm.Infrastructure.DataTransfer;

/// <summary>
/// The care contexts the platform holds: in the patient's links document at the facility, those whose link source is
/// <see cref="LinkSource.Platform"/> (linked by <see cref="PlatformCareContextLinking"/> for records the platform's care
/// providers wrote). A care context a HIP partner or the patient linked is the partner's, whatever its reference.
/// </summary>
public sealed class LinkedPlatformCareContexts(ICareContextLinkStore links) : IPlatformHeldCareContexts
{
    public async Task<IReadOnlySet<string>> HeldAsync(string patientNumber, string hipId, IReadOnlyCollection<string> references, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(references);
        var found = (await links.FindLinksAsync(patientNumber, hipId, ct))?.Value;
        if (found is null) return new HashSet<string>();
        return found.CareContexts.Where(c => c.Source == LinkSource.Platform && references.Contains(c.ReferenceNumber))
            .Select(c => c.ReferenceNumber).ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>The platform's provider records in the patient's PHR (<see cref="PhrRecordService"/>), each bundle read audited as the platform's (as HIP).</summary>
public sealed class PhrPlatformHipRecords(PhrRecordService records) : IPlatformHipRecords
{
    public async Task<IReadOnlyList<PlatformRecordEntry>> ListAsync(string patientNumber, string hipId, string careContextReference,
        IReadOnlyList<string> hiTypes, CancellationToken ct) =>
        (await records.FindProviderRecordsAsync(patientNumber, hipId, careContextReference, hiTypes, ct))
        .Select(r => new PlatformRecordEntry(r.Id, r.CareContextReference ?? careContextReference, r.HiType, r.RecordDate)).ToList();

    public Task<byte[]?> ReadBundleAsync(string patientNumber, string recordId, PlatformRecordReader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return records.ReadProviderBundleForConsentAsync(patientNumber, recordId, new AuditActor(DataTransferService.PlatformHipActor, ["HIP"]),
            reader.ConsentArtefactId, $"sent to HIU {reader.HiuId} in transaction {reader.TransactionId}", ct);
    }
}

/// <summary>
/// Pushes as a HIP does, with the partner library's <see cref="HipDataSender"/> (fresh Fidelius key material per push
/// against the HIU's, SHA-256 checksums, pages, back-off on 429/5xx) and the push token the platform signs for a HIP
/// of the transaction, so the HIU verifies the platform's pushes exactly as a partner's.
/// </summary>
public sealed class HipDataSenderPlatformPusher(PushTokenSigner pushTokens, TimeProvider time) : IPlatformHipPusher
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<IReadOnlyList<PlatformPushResult>> PushAsync(HiTransaction transaction, HipTransfer hip, IReadOnlyList<PlatformPushEntry> entries,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(entries);
        var request = new HipTransferRequest(transaction.Id, hip.ConsentArtefactId, transaction.DateRange, transaction.DataPushUrl,
            JsonSerializer.Deserialize<AbdmKeyMaterial>(transaction.KeyMaterialJson, NdhmJson.Options)!, await pushTokens.SignAsync(transaction, hip, ct));
        var sender = new HipDataSender(Http, time);
        try
        {
            var sent = await sender.SendAsync(request, entries.Select(e => new HipBundleJson(e.CareContextReference, e.BundleUtf8)).ToList(), ct);
            return sent.CareContexts.Select(c => new PlatformPushResult(c.CareContextReference, c.Delivered, c.Description)).ToList();
        }
        catch (FideliusException e)
        {
            // The HIU's key material is no longer usable (expired meanwhile): nothing can be sent, which is final.
            return entries.Select(x => new PlatformPushResult(x.CareContextReference, false, "The HIU's key material is not usable: " + e.Detail)).ToList();
        }
    }
}

/// <summary>
/// The HIU knows the transaction once its hiu/on-request delivery is settled (delivered or given up; a settled delivery
/// may already be gone), as the hip/request to a partner waits for; the platform's own HIU needs no on-request.
/// </summary>
public sealed class DeliveryHiuTransactionNotice(IDeliveryStore deliveries) : IHiuTransactionNotice
{
    public async Task<bool> HiuKnowsAsync(HiTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.HiuPartnerId == Ndhm.Consent.PlatformHiu.PartnerId) return true;
        var key = AbdmCallbacks.ReplyKey(transaction.HiuPartnerId, transaction.RequestId, ITransferMessenger.HiuOnRequestPath);
        return await deliveries.GetAsync(key.PartnerId, key.DeliveryId, ct) is not { Value.Status: DeliveryStatus.Pending };
    }
}
