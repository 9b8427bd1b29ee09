using System.Net;
using System.Text.Json;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.IntegrationTests.Consents;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.DataTransfer;

/// <summary>
/// The health-information exchange over the real local host: a HIU with a granted consent asks for data
/// (health-information/cm/request), the platform's orchestration asks the HIP (hip/request), the HIP (the test, with
/// the HIP-side library) pushes encrypted bundles to the HIU's dataPushUrl (a test HIU built on the HIU-side library)
/// and notifies, and the transaction closes with each care context's outcome.
/// </summary>
public sealed class DataTransferFlowTests(TransferHostFixture sandbox) : IClassFixture<TransferHostFixture>
{
    [Fact]
    [Trait("Certification", "HIU_FLOW_102")]
    [Trait("Certification", "HIU_FLOW_106")]
    public async Task HIU_FLOW_106_GivenAGrantedConsent_WhenTheHiuRequestsAndTheHipPushes_ThenTheHiuHoldsDecryptedValidBundlesAndTheTransactionIsTransferred()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();

        var transactionId = await flow.TransactionAsync(artefactId);
        var hipRequest = (await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0];
        var sent = await flow.HipDeliversAsync(hipRequest);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(60));

        Assert.True(sent.AllDelivered, string.Join("; ", sent.CareContexts.Select(c => c.Description)));
        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
        Assert.All(closed.GetProperty("careContexts").EnumerateArray(), c => Assert.Equal("DELIVERED", c.GetProperty("status").GetString()));
        Assert.Contains(closed.GetProperty("hiTypes").EnumerateArray(), h => h.GetProperty("hiType").GetString() == "Prescription" && h.GetProperty("status").GetString() == "DELIVERED");
        var records = sandbox.Hiu.Records.Where(r => r.TransactionId == transactionId).ToList();
        Assert.Equal(["LAB-2", "OP-1"], records.Select(r => r.CareContextReference).Order());
        Assert.All(records, r => Assert.Equal(("Prescription", flow.World.PatientAddress, flow.World.Hip), (r.HiType, r.PatientId, r.HipId)));
        var hiuOutcome = Assert.Single(await flow.HiuOutcomesAsync(transactionId)).GetProperty("notification");
        Assert.Equal("TRANSFERRED", hiuOutcome.GetProperty("statusNotification").GetProperty("sessionStatus").GetString());
        Assert.Equal(hipRequest.GetProperty("hiRequest").GetProperty("dataPushUrl").GetString(), sandbox.Hiu.PushUrl);

        // The patient sees their own transaction; another HIU does not (404, as for an unknown id).
        var mine = await flow.StatusAsync(transactionId, flow.World.PatientToken);
        var (_, otherHiuToken, _) = await sandbox.OtherPartnerAsync(Ndhm.Core.Security.Roles.Hiu);
        await flow.StatusAsync(transactionId, otherHiuToken, HttpStatusCode.NotFound);
        Assert.Equal("TRANSFERRED", mine.GetProperty("status").GetString());

        // The patient is texted once who received what from whom (the HIU is this world's own facility).
        var told = await SandboxSmsOutbox.WaitAsync(m => m.Text.StartsWith(flow.World.Hiu + " received", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal($"{flow.World.Hiu} received 2 of 2 of your health record(s) from {flow.World.Hip} under your consent for your care. "
                     + "Not expected? Review or revoke it in your health locker.", Assert.Single(told).Text);
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_107")]
    [Trait("Certification", "HIU_FLOW_108")]
    [Trait("Certification", "HIU_FLOW_109")]
    [Trait("Certification", "HIU_FLOW_110")]
    [Trait("Certification", "HIU_FLOW_111")]
    [Trait("Certification", "HIU_FLOW_112")]
    [Trait("Certification", "HIU_FLOW_113")]
    public async Task HIU_FLOW_107_113_GivenAConsentForEveryHiType_WhenTheHipSendsOneDocumentOfEach_ThenTheHiuHoldsEachDecryptedValidAndTyped()
    {
        // 107 DiagnosticReport, 108 Prescription, 109 DischargeSummary, 110 OPConsultation, 111 ImmunizationRecord,
        // 112 HealthDocumentRecord, 113 WellnessRecord: one transaction, the HIP's two care contexts carrying all seven.
        string[] hiTypes = ["DiagnosticReport", "Prescription", "DischargeSummary", "OPConsultation", "ImmunizationRecord", "HealthDocumentRecord", "WellnessRecord"];
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var id = await flow.World.RequestConsentAsync(flow.World.Consent(hiTypes: hiTypes));
        var artefactId = (await flow.World.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant")).GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        var transactionId = await flow.TransactionAsync(artefactId);
        var hipRequest = (await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0];
        var now = DateTimeOffset.UtcNow;
        var records = hiTypes.Select((type, i) => new HipHealthRecord(i < 4 ? "OP-1" : "LAB-2",
            SampleRecords.Of(Enum.Parse<Ndhm.Fhir.Documents.AbdmDocumentType>(type), flow.World.PatientAddress, flow.World.Hip, now.AddHours(-i)))).ToList();

        var sent = await flow.HipDeliversAsync(hipRequest, records);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(60));

        Assert.True(sent.AllDelivered, string.Join("; ", sent.CareContexts.Select(c => c.Description)));
        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
        var received = sandbox.Hiu.Pages.Where(p => p.TransactionId == transactionId).SelectMany(p => p.Entries).ToList();
        var held = sandbox.Hiu.Records.Where(r => r.TransactionId == transactionId).ToList();
        foreach (var (type, i) in hiTypes.Select((t, i) => (t, i)))
        {
            var entry = Assert.Single(received, e => e.HiType == type);
            Assert.True(entry.Ok, $"{type}: {entry.Error}");
            var record = Assert.Single(held, r => r.HiType == type);
            Assert.Equal((i < 4 ? "OP-1" : "LAB-2", flow.World.PatientAddress, flow.World.Hip), (record.CareContextReference, record.PatientId, record.HipId));
            Assert.Contains(closed.GetProperty("hiTypes").EnumerateArray(), h => h.GetProperty("hiType").GetString() == type && h.GetProperty("status").GetString() == "DELIVERED");
        }

        Assert.Equal(hiTypes.Length, held.Count);
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_105")]
    public async Task HIU_FLOW_105_GivenADeniedRequest_WhenTheHiuAsksForDataWithIt_ThenOnRequestCarriesAbdm1062AndNoHipIsAsked()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var id = await flow.World.RequestConsentAsync();
        await flow.World.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/deny", new { reason = "not now" });

        var onRequest = await flow.RequestAsync(id);

        Assert.Equal("ABDM-1062", onRequest.GetProperty("error").GetProperty("code").GetString());
        Assert.False(onRequest.TryGetProperty("hiRequest", out var hiRequest) && hiRequest.ValueKind == JsonValueKind.Object, onRequest.ToString());
        Assert.Empty(await flow.World.ReceivedAsync("hip", "/v0.5/health-information/hip/request",
            b => b.GetProperty("hiRequest").GetProperty("consent").GetProperty("id").GetString() == id));
    }

    [Fact]
    public async Task GivenAnHourlyConsentJustUsed_WhenTheHiuAsksAgain_ThenOnRequestCarriesAbdm1070AndNoTransaction()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();
        await flow.TransactionAsync(artefactId);

        var again = await flow.RequestAsync(artefactId);

        Assert.Equal("ABDM-1070", again.GetProperty("error").GetProperty("code").GetString());
        Assert.False(again.TryGetProperty("hiRequest", out _));
    }

    [Fact]
    public async Task GivenARangeOutsideTheConsent_WhenRequested_ThenOnRequestCarriesAbdm1063()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();

        var onRequest = await flow.RequestAsync(artefactId, from: "2019-01-01T00:00:00.000Z");

        Assert.Equal("ABDM-1063", onRequest.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_202")]
    public async Task HIU_FLOW_202_GivenARunningTransfer_WhenThePatientRevokes_ThenItStopsFailedTheHipIsToldAndItsLateAnswerIsRefused()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();
        var transactionId = await flow.TransactionAsync(artefactId);
        var hipRequest = (await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0];

        await flow.World.PatientAsync(HttpMethod.Post, $"v1/patients/me/consents/{artefactId}/revoke");
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(30));
        var late = await flow.HipAcknowledgesAsync(hipRequest);
        var again = await flow.RequestAsync(artefactId);

        Assert.Equal(("FAILED", "CONSENT_REVOKED"), (closed.GetProperty("status").GetString(), closed.GetProperty("stoppedBecause").GetString()));
        Assert.All(closed.GetProperty("careContexts").EnumerateArray(), c => Assert.Equal("CONSENT_REVOKED", c.GetProperty("errorCode").GetString()));
        await flow.World.HipNotificationAsync(artefactId, "REVOKED");
        Assert.Equal("FAILED", (await flow.StatusAsync(transactionId)).GetProperty("status").GetString());
        Assert.Equal("ABDM-1062", again.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.DoesNotContain(sandbox.Hiu.Records, r => r.TransactionId == transactionId);
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_301")]
    public async Task HIU_FLOW_301_GivenAnExpiredConsent_WhenTheHiuRequests_ThenOnRequestCarriesAbdm1061()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var id = await flow.World.RequestConsentAsync(flow.World.Consent(eraseAt: DateTimeOffset.UtcNow.AddSeconds(5)));
        var artefactId = (await flow.World.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant")).GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        await Task.Delay(TimeSpan.FromSeconds(6));

        var onRequest = await flow.RequestAsync(artefactId);

        Assert.Equal("ABDM-1061", onRequest.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenAHipThatNeverPushes_WhenThePushWindowPasses_ThenEveryCareContextIsErroredAbdm1402AndTheHiuIsTold()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();
        var transactionId = await flow.TransactionAsync(artefactId);

        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(sandbox.PushWindowSeconds + 60));

        Assert.Equal("FAILED", closed.GetProperty("status").GetString());
        Assert.All(closed.GetProperty("careContexts").EnumerateArray(), c => Assert.Equal(("ERRORED", "ABDM-1402"),
            (c.GetProperty("status").GetString(), c.GetProperty("errorCode").GetString())));
        var told = await flow.World.CallbackAsync("hiu", "/v0.5/health-information/notify",
            b => b.GetProperty("notification").GetProperty("transactionId").GetString() == transactionId);
        Assert.All(told.GetProperty("notification").GetProperty("statusNotification").GetProperty("statusResponses").EnumerateArray(),
            s => Assert.StartsWith("ABDM-1402", s.GetProperty("description").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenACareContextAboveTheLinkSize_WhenTheHipSendsItAsALink_ThenTheHiuFetchesDecryptsValidatesAndHoldsItAndTheTransferIsTransferred()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var transactionId = await flow.TransactionAsync(await flow.GrantedArtefactAsync());
        var hipRequest = (await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0];
        var (records, linkAbove) = OneSmallOneLarge(flow);
        var fetchesBefore = sandbox.HipEntries.Store.Fetches;

        var sent = await flow.HipDeliversAsync(hipRequest, records, sandbox.HipEntries.Store, linkAbove);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(60));

        Assert.True(sent.AllDelivered, string.Join("; ", sent.CareContexts.Select(c => c.Description)));
        Assert.Equal(1, sandbox.HipEntries.Store.Fetches - fetchesBefore);   // LAB-2 went as a link and the HIU fetched it once
        var received = sandbox.Hiu.Pages.Where(p => p.TransactionId == transactionId).SelectMany(p => p.Entries).ToList();
        Assert.All(received, e => Assert.True(e.Ok, $"{e.CareContextReference}: {e.Error}"));
        var held = sandbox.Hiu.Records.Where(r => r.TransactionId == transactionId).ToList();
        Assert.Equal([("LAB-2", "DischargeSummary"), ("OP-1", "Prescription")], held.Select(r => (r.CareContextReference, r.HiType)).Order());
        Assert.Equal(Ndhm.Fhir.FhirJson.Serialize(records.Single(r => r.CareContextReference == "LAB-2").Bundle),
            held.Single(r => r.CareContextReference == "LAB-2").FhirBundleJson);
        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task GivenALinkThatAnswers404_WhenTheHiuFetchesIt_ThenThatCareContextIsErroredAtTheHiuAndTheOtherDelivered()
    {
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var artefactId = await flow.GrantedArtefactAsync();
        var transactionId = await flow.TransactionAsync(artefactId);
        var hipRequest = (await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0];
        var (records, linkAbove) = OneSmallOneLarge(flow);

        await flow.HipDeliversAsync(hipRequest, records, new WrongTokenPublisher(sandbox.HipEntries.Store), linkAbove);
        var received = sandbox.Hiu.Pages.Where(p => p.TransactionId == transactionId).SelectMany(p => p.Entries).ToList();
        await flow.HiuReportsReceiptAsync(transactionId, artefactId, received);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(60));
        var reported = await flow.StatusAsync(transactionId);

        var broken = Assert.Single(received, e => e.CareContextReference == "LAB-2");
        Assert.False(broken.Ok);
        Assert.Equal("The linked content could not be fetched: The link answered 404.", broken.Error);
        Assert.True(Assert.Single(received, e => e.CareContextReference == "OP-1").Ok);
        Assert.Equal(["OP-1"], sandbox.Hiu.Records.Where(r => r.TransactionId == transactionId).Select(r => r.CareContextReference));
        // The HIP's pages were taken (DELIVERED by the HIP); the HIU's receipt says which care context it could not read.
        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
        var byReference = reported.GetProperty("careContexts").EnumerateArray().ToDictionary(c => c.GetProperty("careContextReference").GetString()!,
            c => (c.GetProperty("status").GetString(), c.GetProperty("hiuStatus").GetString()));
        Assert.Equal(("DELIVERED", "ERRORED"), byReference["LAB-2"]);
        Assert.Equal(("DELIVERED", "OK"), byReference["OP-1"]);
    }

    // OP-1 a prescription pushed inline, LAB-2 a larger discharge summary above the link size (the smaller one's encrypted length).
    private static (IReadOnlyList<HipHealthRecord> Records, long LinkAboveBytes) OneSmallOneLarge(TransferFlow flow)
    {
        var now = DateTimeOffset.UtcNow;
        var small = SampleRecords.Prescription(flow.World.PatientAddress, flow.World.Hip, now);
        var large = SampleRecords.Of(Ndhm.Fhir.Documents.AbdmDocumentType.DischargeSummary, flow.World.PatientAddress, flow.World.Hip, now.AddDays(-1));
        int Encrypted(Hl7.Fhir.Model.Bundle b) => Ndhm.Fidelius.FideliusSession.GetBase64Length(System.Text.Encoding.UTF8.GetByteCount(Ndhm.Fhir.FhirJson.Serialize(b)));
        Assert.True(Encrypted(small) < Encrypted(large), "the discharge summary must be the larger record");
        return ([new HipHealthRecord("OP-1", small), new HipHealthRecord("LAB-2", large)], Encrypted(small));
    }

    /// <summary>Publishes as the HIP would, but hands out a link whose token is wrong: the HIP's endpoint answers 404.</summary>
    private sealed class WrongTokenPublisher(IEncryptedEntryPublisher inner) : IEncryptedEntryPublisher
    {
        public async Task<Uri> PublishAsync(EncryptedEntry entry, CancellationToken ct) => new((await inner.PublishAsync(entry, ct)).AbsoluteUri + "-wrong");
    }
}
