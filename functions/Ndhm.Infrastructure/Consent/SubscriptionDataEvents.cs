using Ndhm.Consent.Subscriptions;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Linking's <c>links/context/notify</c> (a HIP's new data in a linked care context) reaching the subscriptions with
/// category DATA in scope (<see cref="SubscriptionManager.NewDataAsync"/>). The manager is resolved on first use, as
/// for <see cref="SubscriptionLinkEvents"/>.
/// </summary>
public sealed class SubscriptionDataEvents(Func<SubscriptionManager> subscriptions) : ICareContextDataNotices
{
    public Task NewDataAsync(CareContextDataNotice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return subscriptions().NewDataAsync(notice.AbhaNumber, notice.HipId,
            new LinkedCareContextEvent(notice.PatientReference, notice.CareContextReference, notice.HiTypes), notice.At, notice.NoticeKey, ct);
    }
}
