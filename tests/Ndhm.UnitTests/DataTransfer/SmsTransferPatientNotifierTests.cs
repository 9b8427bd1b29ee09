using Ndhm.Consent;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.PatientPulls;
using Ndhm.Infrastructure.DataTransfer;
using Ndhm.Linking;

namespace Ndhm.UnitTests.DataTransfer;

public sealed class SmsTransferPatientNotifierTests
{
    private static TransferClosedNotice Notice(int delivered, string purpose = ConsentCodes.CareManagement) =>
        new("tx-1", "CLINIC-9", purpose, "consent-7", delivered == 2 ? "TRANSFERRED" : delivered == 0 ? "FAILED" : "PARTIAL", delivered, 2, ["HOSP-1", "LAB-2"]);

    [Fact]
    public async Task GivenAPatientWithAVerifiedMobile_WhenATransferCloses_ThenOneSmsNamesTheHiuTheCountTheHipsAndLinksToTheConsent()
    {
        var sms = new RecordingSms();
        var notifier = new SmsTransferPatientNotifier(new Patients("9876543210"), sms);

        await notifier.TellClosedAsync("91000000000001", Notice(1), CancellationToken.None);

        var (mobile, text, link) = Assert.Single(sms.Sent);
        Assert.Equal("9876543210", mobile);
        Assert.Equal("CLINIC-9 received 1 of 2 of your health record(s) from HOSP-1, LAB-2 under your consent for your care. "
                     + "Not expected? Review or revoke it in your health locker.", text);
        Assert.Equal("ndhm://phr/consents/consent-7", link);
    }

    [Fact]
    public void GivenNothingDelivered_WhenWorded_ThenTheTextSaysNoRecordsReachedTheHiu() =>
        Assert.StartsWith("No health records from HOSP-1, LAB-2 reached CLINIC-9 under your consent for research.",
            SmsTransferPatientNotifier.Text(Notice(0, ConsentCodes.DiseaseResearch)));

    [Fact]
    public async Task GivenAPatientWithoutAMobile_WhenATransferCloses_ThenNoSmsIsSent()
    {
        var sms = new RecordingSms();

        await new SmsTransferPatientNotifier(new Patients(null), sms).TellClosedAsync("91000000000001", Notice(2), CancellationToken.None);

        Assert.Empty(sms.Sent);
    }

    private sealed class Patients(string? mobile) : IPullPatients
    {
        public Task<PullPatient?> FindAsync(string abhaNumber, CancellationToken ct) =>
            Task.FromResult<PullPatient?>(new PullPatient(abhaNumber, "asha@sbx", mobile));
    }

    private sealed class RecordingSms : IPatientNotifier
    {
        public List<(string Mobile, string Text, string DeepLink)> Sent { get; } = [];

        public Task NotifyLinkedAsync(PatientIdentity patient, string hipId, int careContexts, string deepLink, CancellationToken ct) =>
            throw new NotSupportedException();

        public Task SendSmsAsync(string mobile, string text, string deepLink, CancellationToken ct)
        {
            Sent.Add((mobile, text, deepLink));
            return Task.CompletedTask;
        }
    }
}
