using System.Text.Json;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Linking;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Linking;

public sealed class PatientStatusNotifierTests
{
    private const string Occurrence = "2026-12-03T10:00:00.0000000Z";
    private readonly LinkingRig rig = new();
    private readonly InMemoryStatusNotices notices = new();

    private PatientStatusNotifier Notifier => new(rig.Store, rig.Bridge, notices, new LinkingAudit(rig.Audit, new NoCurrentActor()), rig.Time);

    private Task LinkedAsync(string hipId, string partnerId, string address = "asha@sbx", params string[] references) =>
        rig.Store.SaveLinksAsync(new CareContextLinks
        {
            AbhaNumber = LinkingRig.Asha, AbhaAddress = address, HipId = hipId, PartnerId = partnerId, PatientReference = "MRN-" + hipId,
            PatientDisplay = "Asha Verma",
            CareContexts = references.Select(r => new LinkedContext(r, "Visit " + r, null, rig.Time.GetUtcNow(), LinkSource.Patient)).ToList(),
        }, null, default);

    private List<(HipEndpoint Hip, PatientStatusNotifyMessage Message)> Sent =>
        rig.Bridge.Sent.Where(s => s.Path == PatientStatusNotifier.NotifyPath).Select(s => (s.Hip, (PatientStatusNotifyMessage)s.Body)).ToList();

    [Fact]
    public async Task GivenLinksAtTwoHips_WhenTheAbhaIsDeactivated_ThenEachHipIsToldOnce_NamingThePatientByTheAddressItLinked()
    {
        await LinkedAsync("IN2710000001", "hospital-hmis", "asha@sbx", "OP-1", "IP-2");
        await LinkedAsync("lab-one", "lab-one", "asha.verma@sbx", "LAB-1");

        var sent = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deactivated, Occurrence, default);

        Assert.Equal(2, sent.Count);
        var hospital = Sent.Single(s => s.Hip.HipId == "IN2710000001");
        Assert.Equal(("hospital-hmis", PatientAccountStatus.Deactivated, "asha@sbx"),
            (hospital.Hip.PartnerId, hospital.Message.Notification.Status, hospital.Message.Notification.Patient.Id));
        Assert.Equal("asha.verma@sbx", Sent.Single(s => s.Hip.HipId == "lab-one").Message.Notification.Patient.Id);
        Assert.Equal(PatientStatusNotifier.NotificationId(LinkingRig.Asha, PatientAccountStatus.Deactivated, Occurrence, "hospital-hmis", "IN2710000001"),
            hospital.Message.RequestId);
        Assert.Equal(sent.Select(n => n.RequestId).Order(), notices.Notices.Keys.Order());
        Assert.Equal(["IN2710000001", "lab-one"],
            rig.Audit.Events.Where(e => e.Action == PatientStatusNotifier.AuditAction && e.Outcome == "DEACTIVATED").Select(e => e.Resource.Id).Order());
    }

    [Fact]
    public async Task GivenAStatusNotification_WhenSerialised_ThenItIsAbdmsPatientStatusNotification()
    {
        await LinkedAsync("lab-one", "lab-one", "asha@sbx", "LAB-1");

        await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Reactivated, Occurrence, default);

        var json = JsonSerializer.SerializeToElement(Sent.Single().Message, NdhmJson.Options);
        Assert.Equal(["requestId", "timestamp", "notification"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("REACTIVATED", json.GetProperty("notification").GetProperty("status").GetString());
        Assert.Equal("asha@sbx", json.GetProperty("notification").GetProperty("patient").GetProperty("id").GetString());
        Assert.Equal("2026-12-03T10:00:00.000Z", json.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task GivenTheSameChange_WhenToldAgain_ThenTheSameRequestIdsGo_AndAnotherChangeGetsNewOnes()
    {
        await LinkedAsync("lab-one", "lab-one", "asha@sbx", "LAB-1");
        var first = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deactivated, Occurrence, default);

        var repeat = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deactivated, Occurrence, default);
        var later = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deactivated, "2026-12-05T10:00:00.0000000Z", default);
        var deleted = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deleted, Occurrence, default);

        Assert.Equal(first.Single().RequestId, repeat.Single().RequestId);
        Assert.NotEqual(first.Single().RequestId, later.Single().RequestId);
        Assert.NotEqual(first.Single().RequestId, deleted.Single().RequestId);
        Assert.Equal(3, notices.Notices.Count);
    }

    [Fact]
    public async Task GivenThePlatformsOwnCareContextsAndAHipWhoseLinksWereAllUnlinked_WhenTheAbhaIsDeleted_ThenNeitherIsTold()
    {
        await LinkedAsync("IN3610000001", PlatformHip.PartnerId, "asha@sbx", "TC-1");
        await LinkedAsync("lab-one", "lab-one", "asha@sbx");

        var sent = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deleted, "erasure", default);

        Assert.Empty(sent);
        Assert.Empty(Sent);
        Assert.DoesNotContain(rig.Audit.Events, e => e.Action == PatientStatusNotifier.AuditAction);
    }

    [Fact]
    public async Task GivenANotification_WhenTheHipItWentToAcknowledgesIt_ThenItIsRecordedOk_AndAnErrorAnswerIsRecordedByItsCode()
    {
        await LinkedAsync("lab-one", "lab-one", "asha@sbx", "LAB-1");
        await LinkedAsync("IN2710000001", "hospital-hmis", "asha@sbx", "OP-1");
        var sent = await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deactivated, Occurrence, default);
        var lab = sent.Single(n => n.PartnerId == "lab-one").RequestId;
        var hospital = sent.Single(n => n.PartnerId == "hospital-hmis").RequestId;
        rig.Time.Advance(TimeSpan.FromSeconds(3));

        await Notifier.AcknowledgeAsync("lab-one", lab, null, default);
        await Notifier.AcknowledgeAsync("hospital-hmis", hospital.ToUpperInvariant(), "ABDM-1017", default);

        Assert.Equal(("OK", rig.Time.GetUtcNow()), (notices.Notices[lab].Outcome, notices.Notices[lab].AcknowledgedAt!.Value));
        Assert.Equal("ABDM-1017", notices.Notices[hospital].Outcome);
    }

    [Theory]
    [InlineData("hospital-hmis")]   // another partner's notice
    [InlineData("lab-one")]         // never sent
    public async Task GivenAnOnNotify_WhenItNamesNoNotificationSentToTheCaller_ThenItIs404_AndNothingIsRecorded(string caller)
    {
        await LinkedAsync("lab-one", "lab-one", "asha@sbx", "LAB-1");
        var sent = (await Notifier.NotifyAsync(LinkingRig.Asha, PatientAccountStatus.Deactivated, Occurrence, default)).Single();
        var named = caller == "lab-one" ? Guid.NewGuid().ToString() : sent.RequestId;

        var refused = await LinkingRig.Fails(() => Notifier.AcknowledgeAsync(caller, named, null, default));
        var notAnId = await LinkingRig.Fails(() => Notifier.AcknowledgeAsync(caller, "not-a-request-id", null, default));

        Assert.Equal((ErrorKind.NotFound, PatientStatusNotifier.NotificationNotFound), (refused.Kind, refused.Code));
        Assert.Equal("ABDM-1068", refused.Extensions[Ndhm.Core.Abdm.AbdmErrors.ExtensionKey]);
        Assert.Equal(PatientStatusNotifier.NotificationNotFound, notAnId.Code);
        Assert.Null(notices.Notices[sent.RequestId].AcknowledgedAt);
    }
}

/// <summary>The notice store's contract in memory: create-only records, acknowledgements only by the partner told.</summary>
internal sealed class InMemoryStatusNotices : IPatientStatusNoticeStore
{
    public Dictionary<string, PatientStatusNotice> Notices { get; } = new(StringComparer.Ordinal);

    public Task RecordAsync(PatientStatusNotice notice, CancellationToken ct)
    {
        Notices.TryAdd(notice.RequestId, notice);
        return Task.CompletedTask;
    }

    public Task<bool> AcknowledgeAsync(string partnerId, string requestId, string outcome, DateTimeOffset at, CancellationToken ct)
    {
        if (!Notices.TryGetValue(requestId, out var notice) || notice.PartnerId != partnerId) return Task.FromResult(false);
        if (notice.AcknowledgedAt is null) Notices[requestId] = notice with { AcknowledgedAt = at, Outcome = outcome };
        return Task.FromResult(true);
    }
}
