using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fhir;
using Ndhm.Fhir.Validation;
using Ndhm.Fidelius;
using Ndhm.Infrastructure.DataTransfer;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>
/// Link entries (ABDM <c>EntryLink</c>): the HIP's size decision and publishing, the HIU's fetch through the same
/// decryption, checksum, validation and storage as inline content, and the fetcher's refusals (SSRF), with a stub
/// handler at the HttpClient boundary.
/// </summary>
public sealed class LinkEntryTests : IDisposable
{
    private static readonly IPAddress PublicAddress = IPAddress.Parse("93.184.216.34");
    private readonly DataTransferRig rig = new();
    private readonly ConcurrentQueue<DecryptedHealthRecord> stored = new();
    private readonly FideliusKeyMaterial hiuKeys;
    private readonly InMemoryEncryptedEntryStore entryStore;

    public LinkEntryTests()
    {
        hiuKeys = FideliusKeyMaterial.Generate(rig.Consent.Time);
        entryStore = new InMemoryEncryptedEntryStore(new Uri("https://hip.example.in/entries/"), rig.Consent.Time);
    }

    public void Dispose() => rig.Dispose();

    // ---- the HIP's decision ----

    [Fact]
    public void GivenAPublisher_WhenTheEncryptedContentIsAtOrBelowTheLimit_ThenInlineAndAboveItALink()
    {
        var limit = FideliusSession.GetBase64Length(1000);
        var sender = Sender(new HttpClient(new StatusHandler(HttpStatusCode.Accepted)), limit);

        Assert.False(sender.SendsAsLink(1000));
        Assert.True(sender.SendsAsLink(1003));   // base64 grows in steps of 3 bytes: the next length above the limit
    }

    [Fact]
    public void GivenNoPublisher_WhenTheContentIsHuge_ThenItStaysInline()
    {
        var sender = new HipDataSender(new HttpClient(new StatusHandler(HttpStatusCode.Accepted)), rig.Consent.Time, new HipDataSenderOptions { LinkAboveBytes = 0 });

        Assert.False(sender.SendsAsLink(50 * 1024 * 1024));
    }

    [Fact]
    public void GivenTheDefaultOptions_WhenAsked_ThenTheLimitIsAbdmsFiveMegabytes()
    {
        Assert.Equal(5 * 1024 * 1024, new HipDataSenderOptions().LinkAboveBytes);
        Assert.Equal(10 * 1024 * 1024, new LinkedEntryFetcherOptions().MaxBytes);
    }

    [Fact]
    public async Task GivenAPushToken_WhenALinkIsPublished_ThenItExpiresWithTheTransferNeverLaterThanTheCap()
    {
        var (transaction, request) = await TransactionAsync();
        var longCap = Sender(new HttpClient(new StatusHandler(HttpStatusCode.Accepted)), 0, TimeSpan.FromDays(1));
        var shortCap = Sender(new HttpClient(new StatusHandler(HttpStatusCode.Accepted)), 0, TimeSpan.FromMinutes(5));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((transaction.CreatedAt + rig.Options.TransferLifetime).ToUnixTimeSeconds()), longCap.LinkExpiry(request));
        Assert.Equal(rig.Consent.Time.GetUtcNow() + TimeSpan.FromMinutes(5), shortCap.LinkExpiry(request));
        Assert.Equal(rig.Consent.Time.GetUtcNow() + TimeSpan.FromMinutes(5), shortCap.LinkExpiry(request with { PushToken = "not-a-jws" }));
    }

    [Fact]
    public async Task GivenOneRecordAboveTheLimit_WhenSent_ThenItTravelsAsALinkToTheSameCiphertextAndTheHiuStoresBoth()
    {
        var (transaction, request) = await TransactionAsync();
        var records = Records();
        var hiu = new ReceiverHandler(Receiver(transaction, Fetcher(new StoreHandler(entryStore))));
        var sender = Sender(new HttpClient(hiu) { Timeout = Timeout.InfiniteTimeSpan }, SmallerBase64Length(records));

        var result = await sender.SendAsync(request, records, CancellationToken.None);

        Assert.True(result.AllDelivered, string.Join("; ", result.CareContexts.Select(c => c.Description)));
        var entries = JsonDocument.Parse(hiu.Bodies.Single()).RootElement.GetProperty("entries").EnumerateArray().ToList();
        var linked = Assert.Single(entries, e => e.TryGetProperty("link", out _));
        Assert.False(linked.TryGetProperty("content", out _));
        Assert.StartsWith("https://hip.example.in/entries/", linked.GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.Equal(Checksums.Of(records.Single(r => r.CareContextReference == linked.GetProperty("careContextReference").GetString()).BundleUtf8),
            linked.GetProperty("checksum").GetString());
        Assert.Single(entries, e => e.TryGetProperty("content", out _));
        Assert.Equal((1, 1), (entryStore.Count, entryStore.Fetches));
        Assert.Equal(["visit-1", "visit-2"], stored.Select(r => r.CareContextReference).Order());
        Assert.Equal(records.Select(r => Encoding.UTF8.GetString(r.BundleUtf8)).Order(), stored.Select(r => r.FhirBundleJson).Order());
    }

    [Fact]
    public async Task GivenALinkThatAnswers404_WhenReceived_ThenThatEntryIsErroredWithWhyAndTheOtherIsStored()
    {
        var (transaction, request) = await TransactionAsync();
        var page = await CapturedPageAsync(request);
        var entries = page.Entries!.ToList();
        var linkIndex = entries.FindIndex(e => e.Link is not null);
        entries[linkIndex] = entries[linkIndex] with { Link = "https://hip.example.in/entries/unknown-token" };

        var received = await Receiver(transaction, Fetcher(new StoreHandler(entryStore))).ReceiveAsync(page with { Entries = entries }, request.PushToken,
            CancellationToken.None);

        Assert.False(received.Repeat);
        Assert.False(received.Entries[linkIndex].Ok);
        Assert.Equal("The linked content could not be fetched: The link answered 404.", received.Entries[linkIndex].Error);
        Assert.True(received.Entries[1 - linkIndex].Ok, received.Entries[1 - linkIndex].Error);
        Assert.Equal([entries[1 - linkIndex].CareContextReference], stored.Select(r => r.CareContextReference));
    }

    [Fact]
    public async Task GivenALinkEntryWithATamperedChecksum_WhenReceived_ThenItIsErroredAndNotStored()
    {
        var (transaction, request) = await TransactionAsync();
        var page = await CapturedPageAsync(request);
        var entries = page.Entries!.Select(e => e.Link is null ? e : e with { Checksum = Checksums.Of("something else"u8) }).ToList();

        var received = await Receiver(transaction, Fetcher(new StoreHandler(entryStore))).ReceiveAsync(page with { Entries = entries }, request.PushToken,
            CancellationToken.None);

        var linked = Assert.Single(received.Entries, e => !e.Ok);
        Assert.Equal("The checksum does not match the content.", linked.Error);
        Assert.Single(stored);
    }

    [Fact]
    public async Task GivenAReceiverWithoutAFetcher_WhenALinkEntryArrives_ThenItIsErroredAsBefore()
    {
        var (transaction, request) = await TransactionAsync();
        var page = await CapturedPageAsync(request);

        var received = await Receiver(transaction, null).ReceiveAsync(page, request.PushToken, CancellationToken.None);

        Assert.Equal("Link entries are not fetched by this receiver.", Assert.Single(received.Entries, e => !e.Ok).Error);
    }

    [Fact]
    public async Task GivenAPublisherThatFails_WhenSent_ThenThatCareContextIsErroredAndTheOtherDelivered()
    {
        var (_, request) = await TransactionAsync();
        var records = Records();
        var sender = new HipDataSender(new HttpClient(new StatusHandler(HttpStatusCode.Accepted)), rig.Consent.Time,
            new HipDataSenderOptions { LinkAboveBytes = SmallerBase64Length(records) }, new FailingPublisher());

        var result = await sender.SendAsync(request, records, CancellationToken.None);

        var failed = Assert.Single(result.CareContexts, c => !c.Delivered);
        Assert.StartsWith("The encrypted entry could not be published for a link: storage down", failed.Description, StringComparison.Ordinal);
        Assert.Single(result.CareContexts, c => c.Delivered);
    }

    // ---- the fetcher's refusals ----

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.100.100.200")]
    [InlineData("168.63.129.16")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:a9fe:a9fe::1")]
    public async Task GivenAHostThatResolvesToANonPublicAddress_WhenFetched_ThenRefusedWithoutARequest(string address)
    {
        var handler = new StatusHandler(HttpStatusCode.OK, "ok");
        var fetcher = new LinkedEntryFetcher(null, handler, (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) }));

        using var named = await fetcher.FetchAsync("https://hip.example.in/entries/x", CancellationToken.None);
        using var literal = await fetcher.FetchAsync($"https://{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}/entries/x",
            CancellationToken.None);

        Assert.Contains("non-public address; refused", named.Error, StringComparison.Ordinal);
        Assert.Contains("non-public address; refused", literal.Error, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task GivenAHostWithOnePublicAndOnePrivateAddress_WhenFetched_ThenRefused()
    {
        var handler = new StatusHandler(HttpStatusCode.OK, "ok");
        var fetcher = new LinkedEntryFetcher(null, handler, (_, _) => Task.FromResult(new[] { PublicAddress, IPAddress.Parse("10.0.0.5") }));

        using var fetched = await fetcher.FetchAsync("https://hip.example.in/entries/x", CancellationToken.None);

        Assert.Contains("10.0.0.5", fetched.Error, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    [Theory]
    [InlineData("http://hip.example.in/entries/x", "not https")]
    [InlineData("ftp://hip.example.in/entries/x", "scheme ftp")]
    [InlineData("file:///etc/passwd", "scheme file")]
    [InlineData("https://user:secret@hip.example.in/entries/x", "user info")]
    [InlineData("hip.example.in/entries/x", "not an absolute URL")]
    public async Task GivenAWrongSchemeOrForm_WhenFetched_ThenRefusedWithoutARequest(string link, string why)
    {
        var handler = new StatusHandler(HttpStatusCode.OK, "ok");

        using var fetched = await Fetcher(handler).FetchAsync(link, CancellationToken.None);

        Assert.Contains(why, fetched.Error, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task GivenTheSandboxAllowance_WhenHttpToLoopbackOrToAPrivateAddress_ThenLoopbackIsFetchedAndPrivateStillRefused()
    {
        var handler = new StatusHandler(HttpStatusCode.OK, "ok");
        var sandbox = new LinkedEntryFetcher(new LinkedEntryFetcherOptions { AllowLoopbackForSandbox = true }, handler,
            (host, _) => Task.FromResult(new[] { host == "localhost" ? IPAddress.Loopback : IPAddress.Parse("192.168.0.10") }));
        var strict = new LinkedEntryFetcher(null, handler, (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));

        using var loopback = await sandbox.FetchAsync("http://localhost:7072/hospital/entries/x", CancellationToken.None);
        using var metadata = await sandbox.FetchAsync("http://169.254.169.254/latest/meta-data", CancellationToken.None);
        using var lan = await sandbox.FetchAsync("https://printer.lan/x", CancellationToken.None);
        using var notAllowed = await strict.FetchAsync("http://localhost:7072/hospital/entries/x", CancellationToken.None);

        Assert.Null(loopback.Error);
        Assert.Equal("ok", Encoding.UTF8.GetString(loopback.Span));
        Assert.Contains("refused", metadata.Error, StringComparison.Ordinal);
        Assert.Contains("192.168.0.10", lan.Error, StringComparison.Ordinal);
        Assert.Contains("refused", notAllowed.Error, StringComparison.Ordinal);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GivenARedirectToAnotherHost_WhenFetched_ThenItIsNotFollowed()
    {
        var handler = new RedirectHandler("https://169.254.169.254/latest/meta-data/iam");

        using var fetched = await Fetcher(handler).FetchAsync("https://hip.example.in/entries/x", CancellationToken.None);

        Assert.Equal("The link redirects to another host (https://169.254.169.254); not followed.", fetched.Error);
        Assert.Equal(["https://hip.example.in/entries/x"], handler.Requested);
    }

    [Fact]
    public async Task GivenARedirectOnTheSameHost_WhenFetched_ThenItIsFollowedWithinTheLimit()
    {
        var follows = new RedirectHandler("/entries/moved", thenBody: "ok");
        var loops = new RedirectHandler("/entries/again");

        using var followed = await Fetcher(follows).FetchAsync("https://hip.example.in/entries/x", CancellationToken.None);
        using var looped = await Fetcher(loops).FetchAsync("https://hip.example.in/entries/x", CancellationToken.None);

        Assert.Null(followed.Error);
        Assert.Equal(["https://hip.example.in/entries/x", "https://hip.example.in/entries/moved"], follows.Requested);
        Assert.Equal("The link redirects more than 3 times.", looped.Error);
        Assert.Equal(4, loops.Requested.Count);
    }

    [Fact]
    public async Task GivenABodyAboveTheCap_WhenFetchedWithOrWithoutALength_ThenAbortedAndExactlyTheCapIsTaken()
    {
        var options = new LinkedEntryFetcherOptions { MaxBytes = 100_000 };
        LinkedEntryFetcher With(HttpMessageHandler handler) => new(options, handler, (_, _) => Task.FromResult(new[] { PublicAddress }));
        var declared = new StatusHandler(HttpStatusCode.OK, new string('A', 100_001));
        var streamed = new StreamHandler(100_001);

        using var tooLong = await With(declared).FetchAsync("https://hip.example.in/e", CancellationToken.None);
        using var tooLongChunked = await With(streamed).FetchAsync("https://hip.example.in/e", CancellationToken.None);
        using var atTheCap = await With(new StreamHandler(100_000)).FetchAsync("https://hip.example.in/e", CancellationToken.None);

        Assert.Equal("The linked content is larger than 100000 bytes; not fetched.", tooLong.Error);
        Assert.Equal(tooLong.Error, tooLongChunked.Error);
        Assert.True(streamed.BytesRead <= 100_000 + 64 * 1024, $"read {streamed.BytesRead} bytes of an oversized body");
        Assert.Null(atTheCap.Error);
        Assert.Equal(100_000, atTheCap.Span.Length);
    }

    [Fact]
    public async Task GivenALinkThatNeverAnswers_WhenFetched_ThenTheTimeoutGivesAnErrorNotAnException()
    {
        var fetcher = new LinkedEntryFetcher(new LinkedEntryFetcherOptions { Timeout = TimeSpan.FromMilliseconds(50) }, new HangingHandler(),
            (_, _) => Task.FromResult(new[] { PublicAddress }));

        using var fetched = await fetcher.FetchAsync("https://hip.example.in/e", CancellationToken.None);

        Assert.Equal("The link did not answer within 50 ms.", fetched.Error);
    }

    [Fact]
    public async Task GivenDnsThatChangesToAPrivateAddressAfterTheCheck_WhenTheDefaultHandlerConnects_ThenItRefuses()
    {
        var answers = 0;
        using var fetcher = new LinkedEntryFetcher(null, null,
            (_, _) => Task.FromResult(new[] { Interlocked.Increment(ref answers) == 1 ? PublicAddress : IPAddress.Loopback }));

        using var fetched = await fetcher.FetchAsync("https://rebind.example.in/e", CancellationToken.None);

        Assert.StartsWith("The link could not be fetched:", fetched.Error, StringComparison.Ordinal);
        Assert.Equal(2, answers);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700:4700::1111")]
    public void GivenAPublicAddress_WhenChecked_ThenNotRefused(string address) =>
        Assert.False(LinkAddressPolicy.IsRefused(IPAddress.Parse(address), allowLoopback: false));

    // ---- helpers ----

    private Task<(HiTransaction Transaction, HipTransferRequest Request)> TransactionAsync() => rig.HipRequestAsync(hiuKeys);

    private HipDataSender Sender(HttpClient http, long linkAboveBytes, TimeSpan? validity = null) => new(http, rig.Consent.Time,
        new HipDataSenderOptions { LinkAboveBytes = linkAboveBytes, LinkValidity = validity ?? TimeSpan.FromHours(2) }, entryStore);

    private HiuDataReceiver Receiver(HiTransaction transaction, ILinkedEntryFetcher? fetcher) => new(new OneTransactionContexts(new HiuTransferContext(transaction.Id,
            transaction.ConsentArtefactId, transaction.PatientAddress, new HashSet<string> { ConsentRig.Hip }, transaction.DataEraseAt, hiuKeys)),
        new SignedPushTokenAuthenticator(ct => rig.Consent.Signing.GetPublicKeysAsync(false, ct), rig.Consent.Time), new InMemoryPushPageLog(),
        AbdmFhirValidator.Shared, new QueueRecordSink(stored), rig.Consent.Time, fetcher);

    private static LinkedEntryFetcher Fetcher(HttpMessageHandler handler) =>
        new(null, handler, (_, _) => Task.FromResult(new[] { PublicAddress }));

    private IReadOnlyList<HipBundleJson> Records()
    {
        var at = rig.Consent.Time.GetUtcNow();
        return
        [
            new("visit-1", Encoding.UTF8.GetBytes(FhirJson.Serialize(SampleRecords.Prescription(ConsentRig.PatientAddress, ConsentRig.Hip, at)))),
            new("visit-2", Encoding.UTF8.GetBytes(FhirJson.Serialize(SampleRecords.Of(Ndhm.Fhir.Documents.AbdmDocumentType.DischargeSummary,
                ConsentRig.PatientAddress, ConsentRig.Hip, at)))),
        ];
    }

    // The limit that keeps the smaller record inline and sends the larger as a link.
    private static long SmallerBase64Length(IReadOnlyList<HipBundleJson> records)
    {
        var lengths = records.Select(r => FideliusSession.GetBase64Length(r.BundleUtf8.Length)).Order().ToList();
        Assert.True(lengths[0] < lengths[1], "the two sample records must differ in size");
        return lengths[0];
    }

    // One page as the HIP pushed it, the larger record published as a link in the entry store.
    private async Task<DataPushPage> CapturedPageAsync(HipTransferRequest request)
    {
        var capture = new CapturingPushHandler();
        var records = Records();
        await Sender(new HttpClient(capture), SmallerBase64Length(records)).SendAsync(request, records, CancellationToken.None);
        return JsonSerializer.Deserialize<DataPushPage>(capture.Bodies.Single(), NdhmJson.Options)!;
    }

    private sealed class FailingPublisher : IEncryptedEntryPublisher
    {
        public Task<Uri> PublishAsync(EncryptedEntry entry, CancellationToken ct) => throw new IOException("storage down");
    }

    /// <summary>The HIU's push endpoint in memory: the receiver takes each page as it arrived.</summary>
    private sealed class ReceiverHandler(HiuDataReceiver receiver) : CapturingPushHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await base.SendAsync(request, cancellationToken);
            var page = DataPushBody.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            var received = await receiver.ReceiveAsync(page, request.Headers.Authorization?.Parameter, cancellationToken);
            return new HttpResponseMessage(received.Entries.All(e => e.Ok) ? HttpStatusCode.Accepted : HttpStatusCode.UnprocessableEntity);
        }
    }

    /// <summary>The HIP's entry endpoint in memory: GET {base}{token} serves the published content, else 404.</summary>
    private sealed class StoreHandler(InMemoryEncryptedEntryStore store) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(store.TryGet(request.RequestUri!.Segments[^1], out var content)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ReadOnlyMemoryContent(content) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    private sealed class StatusHandler(HttpStatusCode status, string? body = null) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body ?? "") });
        }
    }

    /// <summary>Redirects every request to <paramref name="location"/>, except that location itself when <paramref name="thenBody"/> is given.</summary>
    private sealed class RedirectHandler(string location, string? thenBody = null) : HttpMessageHandler
    {
        public List<string> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!.AbsoluteUri);
            if (thenBody is not null && request.RequestUri.AbsolutePath == location)
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(thenBody) });
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
            return Task.FromResult(response);
        }
    }

    /// <summary>A body of <paramref name="length"/> bytes with no Content-Length (chunked), counting what was read.</summary>
    private sealed class StreamHandler(int length) : HttpMessageHandler
    {
        private readonly CountingStream stream = new(length);

        public long BytesRead => stream.Position;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(stream);
            content.Headers.ContentLength = null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }

        private sealed class CountingStream(int length) : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get; set; }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override int Read(byte[] buffer, int offset, int count)
            {
                var n = (int)Math.Min(Math.Min(count, 4096), length - Position);
                buffer.AsSpan(offset, n).Fill((byte)'A');
                Position += n;
                return n;
            }
        }
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
