using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ndhm.Consent;
using Ndhm.Core.Errors;

namespace Ndhm.UnitTests.Consent;

/// <summary>
/// The life cycle over random sequences of decisions (grant, deny, revoke, expiry, time passing), applied one by one
/// and by two appliers at once over the same ETag'd store: no illegal transition is ever stored, a record ends in at
/// most one final state and stays there, and every stored transition got exactly one notification.
/// </summary>
public sealed class ConsentStateMachineProperties
{
    public enum Step
    {
        Grant,
        Deny,
        Revoke,
        Expire,
        PassDay,
        PassWeek,
    }

    private static readonly ConsentStatus[] All = Enum.GetValues<ConsentStatus>();

    [Fact]
    public void GivenEveryPairOfStatuses_ThenOnlyTheDocumentedTransitionsAreAllowed()
    {
        var allowed = All.SelectMany(from => All.Where(to => ConsentStateMachine.IsAllowed(from, to)).Select(to => (from, to))).ToHashSet();

        Assert.Equal(new HashSet<(ConsentStatus, ConsentStatus)>
        {
            (ConsentStatus.Requested, ConsentStatus.Granted), (ConsentStatus.Requested, ConsentStatus.Denied), (ConsentStatus.Requested, ConsentStatus.Expired),
            (ConsentStatus.Granted, ConsentStatus.Revoked), (ConsentStatus.Granted, ConsentStatus.Expired),
        }, allowed);
    }

    [Property(MaxTest = 60)]
    public bool GivenRandomDecisionsOneAtATime_ThenOnlyLegalTransitionsAndOneNotificationEach(Step[] steps)
    {
        using var rig = new ConsentRig();
        var record = rig.CreateAsync(ConsentRig.Request(eraseAt: new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero))).GetAwaiter().GetResult();
        foreach (var step in steps.Take(12))
            ApplyAsync(rig, rig.Manager, record.Id, step).GetAwaiter().GetResult();
        return Holds(rig, record.Id);
    }

    [Property(MaxTest = 40)]
    public bool GivenRandomDecisionsFromTwoAppliersAtOnce_ThenOneFinalStateAndOneNotificationPerTransition(Step[] first, Step[] second)
    {
        using var rig = new ConsentRig();
        var record = rig.CreateAsync(ConsentRig.Request(eraseAt: new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero))).GetAwaiter().GetResult();
        var other = rig.Build(rig.Store, rig.Notifier);
        var a = Task.Run(async () => { foreach (var s in first.Take(8)) await ApplyAsync(rig, rig.Manager, record.Id, s); });
        var b = Task.Run(async () => { foreach (var s in second.Take(8)) await ApplyAsync(rig, other, record.Id, s); });
        Task.WaitAll(a, b);
        return Holds(rig, record.Id);
    }

    [Fact]
    public async Task GivenAGrantRacingARevokeAndAnExpiry_ThenTheOutcomeIsOneLegalHistory()
    {
        for (var round = 0; round < 30; round++)
        {
            using var rig = new ConsentRig();
            var record = await rig.CreateAsync();
            var granted = await rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None);
            rig.Time.Advance(TimeSpan.FromDays(365));
            var other = rig.Build(rig.Store, rig.Notifier);

            await Task.WhenAll(
                Task.Run(() => Swallow(rig.Manager.RevokeAsync(rig.Patient, granted.Artefacts[0].Id, CancellationToken.None))),
                Task.Run(() => Swallow(other.ExpireDueAsync(CancellationToken.None))));

            var final = rig.Store.Get(record.Id);
            Assert.Contains(final.Status, new[] { ConsentStatus.Revoked, ConsentStatus.Expired });
            Assert.Equal([ConsentStatus.Requested, ConsentStatus.Granted, final.Status], final.Events.Select(e => e.Status));
            Assert.True(Holds(rig, record.Id));
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (DomainException)
        {
            // the loser of the race is refused: that is the point
        }
    }

    private static bool Holds(ConsentRig rig, string id)
    {
        var record = rig.Store.Get(id);
        var statuses = record.Events.Select(e => e.Status).ToList();
        var legal = statuses[0] == ConsentStatus.Requested
                    && statuses.Zip(statuses.Skip(1)).All(p => ConsentStateMachine.IsAllowed(p.First, p.Second))
                    && record.Status == statuses[^1];
        var finals = statuses.Count(ConsentStateMachine.IsFinal);
        var oneFinal = finals <= 1 && (finals == 0 || ConsentStateMachine.IsFinal(statuses[^1]));
        var sequenced = record.Events.Select(e => e.Seq).SequenceEqual(Enumerable.Range(1, record.Events.Count));
        // Deliveries, not send calls: a decision racing another first re-sends what is still unnotified
        // (ConsentManager.SendUnnotifiedAsync), which may be the event the other applier is sending at that moment. Both
        // sends carry the id GatewayConsentNotifier.NotificationId derives from (consent, seq, target): one delivery.
        var notified = rig.Notifier.Sent.Where(n => n.ConsentId == id).Select(n => (n.Seq, n.Status)).Distinct().OrderBy(n => n.Seq).ToList();
        var expected = record.Events.Skip(1).Select(e => (e.Seq, e.Status)).ToList();
        var grantArtefactsKept = record.Status is not (ConsentStatus.Revoked or ConsentStatus.Expired) || statuses.Contains(ConsentStatus.Granted) == record.Artefacts.Count > 0;
        return legal && oneFinal && sequenced && notified.SequenceEqual(expected) && record.Events.All(e => e.Notified) && grantArtefactsKept;
    }

    private static async Task ApplyAsync(ConsentRig rig, ConsentManager manager, string id, Step step)
    {
        try
        {
            switch (step)
            {
                case Step.Grant:
                    await manager.GrantAsync(rig.Patient, id, null, CancellationToken.None);
                    break;
                case Step.Deny:
                    await manager.DenyAsync(rig.Patient, id, null, CancellationToken.None);
                    break;
                case Step.Revoke:
                    if (rig.Store.Get(id).Artefacts is [var artefact, ..])
                        await manager.RevokeAsync(rig.Patient, artefact.Id, CancellationToken.None);
                    break;
                case Step.Expire:
                    await manager.ExpireDueAsync(CancellationToken.None);
                    break;
                case Step.PassDay:
                    lock (rig.Time) rig.Time.Advance(TimeSpan.FromDays(1));
                    break;
                case Step.PassWeek:
                    lock (rig.Time) rig.Time.Advance(TimeSpan.FromDays(7));
                    break;
            }
        }
        catch (DomainException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound or ErrorKind.PreconditionFailed)
        {
            // refused decisions change nothing; that they change nothing is what Holds checks
        }
    }
}
