using Ndhm.DataTransfer;
using Ndhm.Gateway.Abdm;
using Ndhm.Triggers.Consent;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>ABDM <c>HIRequest</c> (POST /v0.5/health-information/cm/request).</summary>
public sealed record AbdmHiRequest(string? RequestId, string? Timestamp, HiRequestInput? HiRequest) : IAbdmRequest;

/// <summary>ABDM <c>HIPHealthInformationRequestAcknowledgement</c> (POST /v0.5/health-information/hip/on-request).</summary>
public sealed record AbdmHipHiAcknowledgement(string? RequestId, string? Timestamp, HiAcknowledgement? HiRequest, AbdmErrorBody? Error,
    AbdmRequestReference? Resp) : IAbdmRequest;

/// <summary>ABDM <c>HealthInformationNotification</c> (POST /v0.5/health-information/notify).</summary>
public sealed record AbdmHiNotification(string? RequestId, string? Timestamp, HiNotification? Notification) : IAbdmRequest;

/// <summary>One care context's outcome in a transaction view.</summary>
public sealed record CareContextTransferView(string HipId, string CareContextReference, IReadOnlyList<string> HiTypes, string Status, string? ErrorCode,
    string? Description, DateTimeOffset? At, string? HiuStatus);

/// <summary>One hiType's outcome over the transaction's care contexts: DELIVERED (all), PARTIAL, ERRORED (none) or PENDING.</summary>
public sealed record HiTypeTransferView(string HiType, string Status, int Delivered, int Errored, int Pending);

public sealed record HipTransferView(string HipId, string ConsentId, bool Acknowledged, string? ErrorCode);

/// <summary>Answer of <c>GET /api/v1/health-information/transactions/{transactionId}</c>.</summary>
public sealed record HiTransactionView(string TransactionId, string Status, string ConsentId, string HiuId, DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt, string? StoppedBecause, DateTimeOffset DataEraseAt, IReadOnlyList<HipTransferView> Hips,
    IReadOnlyList<CareContextTransferView> CareContexts, IReadOnlyList<HiTypeTransferView> HiTypes)
{
    public static HiTransactionView Of(HiTransaction t) => new(t.Id, TransferStatuses.Name(t.Status), t.ConsentArtefactId, t.HiuId, t.CreatedAt,
        t.ClosedAt, t.StoppedBecause, t.DataEraseAt,
        t.Hips.Select(h => new HipTransferView(h.HipId, h.ConsentArtefactId, h.Acknowledged, h.ErrorCode)).ToList(),
        t.CareContexts.Select(c => new CareContextTransferView(c.HipId, c.CareContextReference, c.HiTypes, TransferStatuses.Name(c.Status), c.ErrorCode,
            c.Description, c.At, c.HiuStatus is { } s ? (s == CareContextStatus.Delivered ? "OK" : "ERRORED") : null)).ToList(),
        t.CareContexts.SelectMany(c => c.HiTypes.Select(h => (HiType: h, c.Status))).GroupBy(x => x.HiType).Select(g =>
        {
            int delivered = g.Count(x => x.Status == CareContextStatus.Delivered), errored = g.Count(x => x.Status == CareContextStatus.Errored);
            var pending = g.Count() - delivered - errored;
            var status = pending > 0 ? "PENDING" : errored == 0 ? "DELIVERED" : delivered == 0 ? "ERRORED" : "PARTIAL";
            return new HiTypeTransferView(g.Key, status, delivered, errored, pending);
        }).ToList());
}
