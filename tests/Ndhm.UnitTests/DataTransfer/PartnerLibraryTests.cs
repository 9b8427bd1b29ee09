using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fhir.Validation;
using Ndhm.Fidelius;
using Ndhm.Infrastructure.DataTransfer;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>
/// The HIP-side sender and the HIU-side receiver against each other, in memory (the HTTP hop is a handler that hands
/// the pushed JSON to the receiver): fresh key material, checksums, paging, the push token, idempotent pages, and the
/// real ABDM validator on the decrypted bundles.
/// </summary>
public sealed class PartnerLibraryTests : IDisposable
{
    private readonly DataTransferRig rig = new();
    private readonly ConcurrentQueue<DecryptedHealthRecord> stored = new();
    private readonly InMemoryPushPageLog pageLog = new();
    private readonly FideliusKeyMaterial hiuKeys;

    public PartnerLibraryTests() => hiuKeys = FideliusKeyMaterial.Generate(rig.Consent.Time);

    public void Dispose() => rig.Dispose();

    private Task<(HiTransaction Transaction, HipTransferRequest Request)> TransactionAsync() => rig.HipRequestAsync(hiuKeys);

    private HiuDataReceiver Receiver(HiTransaction transaction) => new(new OneTransactionContexts(new HiuTransferContext(transaction.Id, transaction.ConsentArtefactId,
            transaction.PatientAddress, new HashSet<string> { ConsentRig.Hip }, transaction.DataEraseAt, hiuKeys)),
        new SignedPushTokenAuthenticator(ct => rig.Consent.Signing.GetPublicKeysAsync(false, ct), rig.Consent.Time), pageLog, AbdmFhirValidator.Shared,
        new QueueRecordSink(stored), rig.Consent.Time);

    private static IReadOnlyList<HipHealthRecord> Records(DateTimeOffset at) =>
    [
        new("visit-1", SampleRecords.Prescription(ConsentRig.PatientAddress, ConsentRig.Hip, at)),
        new("visit-2", SampleRecords.Immunization(ConsentRig.PatientAddress, ConsentRig.Hip, at)),
    ];

    [Theory]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.DiagnosticReport)]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.Prescription)]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.DischargeSummary)]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.OPConsultation)]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.ImmunizationRecord)]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.HealthDocumentRecord)]
    [InlineData(Ndhm.Fhir.Documents.AbdmDocumentType.WellnessRecord)]
    public async Task GivenEachAbdmHiType_WhenASampleRecordIsBuilt_ThenItIsAValidAbdmDocumentOfThatType(Ndhm.Fhir.Documents.AbdmDocumentType type)
    {
        var bundle = SampleRecords.Of(type, ConsentRig.PatientAddress, ConsentRig.Hip, rig.Consent.Time.GetUtcNow());

        var result = await AbdmFhirValidator.Shared.ValidateJsonAsync(Ndhm.Fhir.FhirJson.Serialize(bundle), CancellationToken.None);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var composition = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Composition>().Single();
        Assert.Equal(type.ToString(), Ndhm.Fhir.Documents.AbdmProfiles.ForCompositionType(composition.Type)?.HiType);
    }

    [Fact]
    public async Task GivenAHipRequest_WhenTheHipSendsTwoRecordsOnePerPage_ThenTheHiuStoresBothDecryptedValidAndTyped()
    {
        var (transaction, request) = await TransactionAsync();
        var handler = new ReceiverHandler(Receiver(transaction));
        var sender = new HipDataSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time, new HipDataSenderOptions { EntriesPerPage = 1 });

        var result = await sender.SendAsync(request, Records(rig.Consent.Time.GetUtcNow()), CancellationToken.None);

        Assert.True(result.AllDelivered, string.Join("; ", result.CareContexts.Select(c => c.Description)));
        Assert.Equal(2, result.Pages);
        Assert.Equal(["Prescription", "ImmunizationRecord"], stored.Select(r => r.HiType));
        Assert.All(stored, r => Assert.Equal((transaction.Id, transaction.ConsentArtefactId, ConsentRig.PatientAddress, ConsentRig.Hip, transaction.DataEraseAt),
            (r.TransactionId, r.ConsentArtefactId, r.PatientId, r.HipId, r.DataEraseAt)));
        Assert.Contains("\"resourceType\":\"Bundle\"", stored.First().FhirBundleJson, StringComparison.Ordinal);
        var pushed = handler.Bodies.Select(b => JsonDocument.Parse(b).RootElement).ToList();
        Assert.DoesNotContain(pushed, p => p.GetRawText().Contains("Paracetamol", StringComparison.Ordinal));
        Assert.NotEqual(hiuKeys.PublicKey.ToX509Base64(), pushed[0].GetProperty("keyMaterial").GetProperty("dhPublicKey").GetProperty("keyValue").GetString());
    }

    [Fact]
    public async Task GivenAnHiuThatAnswers503WhileItRestarts_WhenTheHipPushes_ThenThePageIsPushedAgainAndDeliveredOnce()
    {
        // Found by the fault suite: a HIU that could not check push tokens while the platform restarted answered 500,
        // and the HIP reported its care contexts ERRORED although the HIU came back seconds later.
        var (transaction, request) = await TransactionAsync();
        var handler = new FlakyHandler(new ReceiverHandler(Receiver(transaction)), failures: 2);
        var sender = new HipDataSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time,
            new HipDataSenderOptions { PushRetryFirstPause = TimeSpan.Zero });

        var result = await sender.SendAsync(request, Records(rig.Consent.Time.GetUtcNow()), CancellationToken.None);

        Assert.True(result.AllDelivered, string.Join("; ", result.CareContexts.Select(c => c.Description)));
        Assert.Equal(3, handler.Calls);
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task GivenAnHiuThatRefusesAPageWith4xx_WhenTheHipPushes_ThenItIsNotPushedAgain()
    {
        var (_, request) = await TransactionAsync();
        var handler = new FlakyHandler(new CapturingPushHandler(), failures: int.MaxValue, HttpStatusCode.BadRequest);
        var sender = new HipDataSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time,
            new HipDataSenderOptions { PushRetryFirstPause = TimeSpan.Zero });

        var result = await sender.SendAsync(request, Records(rig.Consent.Time.GetUtcNow()), CancellationToken.None);

        Assert.False(result.AllDelivered);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GivenAPageSentTwice_WhenReceived_ThenTheSecondIsARepeatAndNothingIsStoredTwice()
    {
        var (transaction, request) = await TransactionAsync();
        var handler = new ReceiverHandler(Receiver(transaction));
        var sender = new HipDataSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time);
        await sender.SendAsync(request, Records(rig.Consent.Time.GetUtcNow()), CancellationToken.None);

        var again = await Receiver(transaction).ReceiveAsync(JsonSerializer.Deserialize<DataPushPage>(handler.Bodies.Single(), NdhmJson.Options), request.PushToken,
            CancellationToken.None);

        Assert.True(again.Repeat);
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task GivenTwoSendersForOneHipBothNumberingFromOne_WhenBothPushPageOne_ThenBothPagesAreTakenAndARepeatOfEitherIsNot()
    {
        // A partner and the platform (for the care contexts it holds at the same facility) push into one transaction.
        var (transaction, request) = await TransactionAsync();
        var handler = new ReceiverHandler(Receiver(transaction));
        var partner = new HipDataSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time);
        var platform = new HipDataSender(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time);
        var records = Records(rig.Consent.Time.GetUtcNow());

        var fromPartner = await partner.SendAsync(request, [records[0]], CancellationToken.None);
        var fromPlatform = await platform.SendAsync(request, [records[1]], CancellationToken.None);
        var again = await Receiver(transaction).ReceiveAsync(JsonSerializer.Deserialize<DataPushPage>(handler.Bodies.First(), NdhmJson.Options), request.PushToken,
            CancellationToken.None);

        Assert.True(fromPartner.AllDelivered && fromPlatform.AllDelivered);
        Assert.Equal(["visit-1", "visit-2"], stored.Select(r => r.CareContextReference));
        Assert.True(again.Repeat);
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task GivenAPushWithoutTheTokenOrWithAnotherTransactionsToken_WhenReceived_ThenRefusedAndNothingStored()
    {
        var (transaction, request) = await TransactionAsync();
        var page = await OnePageAsync(request);
        var other = await TransactionAsync();

        var none = await Assert.ThrowsAsync<DomainException>(() => Receiver(transaction).ReceiveAsync(page, null, CancellationToken.None));
        var wrong = await Assert.ThrowsAsync<DomainException>(() => Receiver(transaction).ReceiveAsync(page, other.Request.PushToken, CancellationToken.None));

        Assert.Equal([HiuDataReceiver.PushNotAuthenticated, HiuDataReceiver.PushNotAuthenticated], new[] { none.Code, wrong.Code });
        Assert.Empty(stored);
    }

    [Fact]
    public async Task GivenATamperedChecksumOrCiphertext_WhenReceived_ThenThatEntryIsErroredAndNotStored()
    {
        var (transaction, request) = await TransactionAsync();
        var page = await OnePageAsync(request);
        var entries = page.Entries!.ToList();
        var bytes = Convert.FromBase64String(entries[1].Content!);
        bytes[5] ^= 0x01;
        entries[0] = entries[0] with { Checksum = Checksums.Of("something else"u8) };
        entries[1] = entries[1] with { Content = Convert.ToBase64String(bytes) };

        var received = await Receiver(transaction).ReceiveAsync(page with { Entries = entries }, request.PushToken, CancellationToken.None);

        Assert.All(received.Entries, e => Assert.False(e.Ok));
        Assert.Contains("checksum", received.Entries[0].Error, StringComparison.Ordinal);
        Assert.Contains("decrypt", received.Entries[1].Error, StringComparison.Ordinal);
        Assert.Empty(stored);
    }

    private async Task<DataPushPage> OnePageAsync(HipTransferRequest request)
    {
        var capture = new CapturingPushHandler();
        await new HipDataSender(new HttpClient(capture) { Timeout = Timeout.InfiniteTimeSpan }, rig.Consent.Time).SendAsync(request, Records(rig.Consent.Time.GetUtcNow()), CancellationToken.None);
        return JsonSerializer.Deserialize<DataPushPage>(capture.Bodies.Single(), NdhmJson.Options)!;
    }

    /// <summary>Answers <paramref name="status"/> to the first <paramref name="failures"/> calls, then passes them on.</summary>
    private sealed class FlakyHandler(HttpMessageHandler inner, int failures, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
        : DelegatingHandler(inner)
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            ++Calls <= failures ? Task.FromResult(new HttpResponseMessage(status)) : base.SendAsync(request, cancellationToken);
    }

    /// <summary>The HIU's push endpoint in memory: 202 when the receiver took the page, else the error's status.</summary>
    private sealed class ReceiverHandler(HiuDataReceiver receiver) : CapturingPushHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await base.SendAsync(request, cancellationToken);
            // As the platform's push endpoint reads it: the body's UTF-8, content never made a string.
            var page = DataPushBody.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            try
            {
                var received = await receiver.ReceiveAsync(page, request.Headers.Authorization?.Parameter, cancellationToken);
                return new HttpResponseMessage(received.Entries.All(e => e.Ok) ? HttpStatusCode.Accepted : HttpStatusCode.UnprocessableEntity);
            }
            catch (DomainException e)
            {
                return new HttpResponseMessage(e.Kind == ErrorKind.Unauthenticated ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest);
            }
        }
    }
}
