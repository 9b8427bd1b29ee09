using Microsoft.Azure.Cosmos;
using Ndhm.HealthId.Accounts;
using Ndhm.Infrastructure.Consent;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Linking;

/// <summary>
/// <c>patients/status/notify</c> notices in the <c>consents</c> container, one partition each
/// (<c>patient-status-notice:&lt;requestId&gt;</c>, read by the HIP's on-notify): the HIP, its partner, the status and
/// the acknowledgement; nothing names the patient (the requestId is a hash).
/// </summary>
public sealed class CosmosPatientStatusNoticeStore(CosmosClient client, CosmosSettings settings) : IPatientStatusNoticeStore
{
    public const string Type = "patient-status-notice";

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public Task RecordAsync(PatientStatusNotice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var id = IdOf(notice.RequestId);
        return CosmosDocuments.TryCreateAsync(Container, new PatientStatusNoticeDocument(id, id, Type, notice), id, ct);
    }

    public Task<bool> AcknowledgeAsync(string partnerId, string requestId, string outcome, DateTimeOffset at, CancellationToken ct) =>
        NoticeAcknowledgements.AcknowledgeAsync<PatientStatusNoticeDocument>(Container, IdOf(requestId),
            d => d.Notice.PartnerId == partnerId, d => d.Notice.AcknowledgedAt is not null,
            d => d with { Notice = d.Notice with { AcknowledgedAt = at, Outcome = outcome } }, ct);

    private static string IdOf(string requestId) => Type + ":" + Guid.Parse(requestId).ToString();
}

internal sealed record PatientStatusNoticeDocument(string Id, string Pk, string DocType, PatientStatusNotice Notice);

/// <summary>
/// Health ID's <see cref="IAbhaStatusListener"/> wired to linking's <see cref="PatientStatusNotifier"/>: a deactivated,
/// reactivated or erased ABHA is told to every HIP holding the patient's linked care contexts.
/// </summary>
public sealed class LinkedHipsStatusListener(PatientStatusNotifier notifier) : IAbhaStatusListener
{
    public Task OnStatusChangedAsync(AbhaStatusChanged change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var status = change.Change switch
        {
            AbhaStatusChange.Deactivated => PatientAccountStatus.Deactivated,
            AbhaStatusChange.Reactivated => PatientAccountStatus.Reactivated,
            AbhaStatusChange.Deleted => PatientAccountStatus.Deleted,
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.Change, null),
        };
        return notifier.NotifyAsync(change.AbhaNumber, status, change.Occurrence, ct);
    }
}
