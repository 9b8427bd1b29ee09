using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.Fhir;
using Ndhm.Fidelius;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>
/// The push body over UTF-8 (<see cref="DataPushBody"/>): what the HIP writes is the JSON the serializer wrote for
/// <see cref="DataPushPage"/> (same members, order, values and checksums; only base64's '+' is no longer escaped), and
/// what the HIU reads is what the serializer read, with content kept as bytes.
/// </summary>
public sealed class DataPushBodyTests
{
    private static readonly TimeProvider Time = TimeProvider.System;

    private static (HipTransferRequest Request, FideliusKeyMaterial Hiu) Request()
    {
        var hiu = FideliusKeyMaterial.Generate(Time);
        return (new HipTransferRequest("txn-1", "artefact-1", new Ndhm.Consent.DateRange(Time.GetUtcNow().AddYears(-1), Time.GetUtcNow()),
            "https://hiu.example.in/v0.5/health-information/transfer", hiu.ToAbdm(), "push-token"), hiu);
    }

    private static IReadOnlyList<HipHealthRecord> Records() =>
    [
        new("visit-1", SampleRecords.Prescription(ConsentRig.PatientAddress, ConsentRig.Hip, Time.GetUtcNow())),
        new("visit-2", SampleRecords.Immunization(ConsentRig.PatientAddress, ConsentRig.Hip, Time.GetUtcNow())),
        new("visit-3", SampleRecords.Prescription(ConsentRig.PatientAddress, ConsentRig.Hip, Time.GetUtcNow())),
    ];

    private static async Task<List<string>> PushedBodiesAsync(HipTransferRequest request, IReadOnlyList<HipHealthRecord> records, int perPage)
    {
        var capture = new Capture();
        var result = await new HipDataSender(new HttpClient(capture), Time, new HipDataSenderOptions { EntriesPerPage = perPage })
            .SendAsync(request, records, CancellationToken.None);
        Assert.True(result.AllDelivered);
        Assert.All(capture.ContentTypes, t => Assert.Equal("application/json; charset=utf-8", t));
        return capture.Bodies.ToList();
    }

    // The serializer writes '+' as \u002B; the UTF-8 writer leaves base64 unescaped. Same JSON string either way.
    private static string Canonical(string json) => json.Replace("\\u002B", "+", StringComparison.Ordinal);

    [Fact]
    public async Task GivenRecordsPushedByTheHip_WhenTheBodiesAreComparedWithTheSerializersForTheSamePages_ThenTheyAreTheSameJsonTextButForUnescapedPlus()
    {
        var (request, _) = Request();

        var bodies = await PushedBodiesAsync(request, Records(), perPage: 2);

        Assert.Equal(2, bodies.Count);
        foreach (var body in bodies)
        {
            var page = JsonSerializer.Deserialize<DataPushPage>(body, NdhmJson.Options)!;
            Assert.Equal(Canonical(JsonSerializer.Serialize(page, NdhmJson.Options)), Canonical(body));
            Assert.DoesNotContain("\\u002B", JsonDocument.Parse(body).RootElement.GetProperty("entries")[0].GetProperty("content").GetRawText(),
                StringComparison.Ordinal);
        }

        var first = JsonDocument.Parse(bodies[0]).RootElement;
        Assert.Equal(["pageNumber", "pageCount", "transactionId", "entries", "keyMaterial"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["content", "media", "checksum", "careContextReference"], first.GetProperty("entries")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, 2, "txn-1"), (first.GetProperty("pageNumber").GetInt32(), first.GetProperty("pageCount").GetInt32(), first.GetProperty("transactionId").GetString()));
    }

    [Fact]
    public async Task GivenRecordsPushedByTheHip_WhenTheHiuDecryptsEachContent_ThenItIsTheBundlesUtf8AndTheChecksumIsItsSha256AsBefore()
    {
        var (request, hiu) = Request();
        var records = Records();

        var body = (await PushedBodiesAsync(request, records, perPage: 10)).Single();

        var page = JsonSerializer.Deserialize<DataPushPage>(body, NdhmJson.Options)!;
        var sender = page.KeyMaterial!.Validate(Time, TimeSpan.FromMinutes(1));
        for (var i = 0; i < records.Count; i++)
        {
            var expected = Encoding.UTF8.GetBytes(FhirJson.Serialize(records[i].Bundle));
            var entry = page.Entries![i];
            Assert.Equal(expected, FideliusCipher.DecryptFromBase64(entry.Content, hiu.Nonce, sender.Nonce, hiu.PrivateKey, sender.PublicKey));
            Assert.Equal(Checksums.Of(expected), entry.Checksum);
            Assert.Equal(("application/fhir+json", records[i].CareContextReference, null), (entry.Media, entry.CareContextReference, entry.Link));
        }
    }

    [Theory]
    [InlineData("""{"pageNumber":2,"pageCount":3,"transactionId":"t","entries":[{"content":"QUJD\u002BRA==","media":"application/fhir+json","checksum":"c\u002B=","careContextReference":"v"}]}""")]
    [InlineData("""{"PAGENUMBER":1,"pagecount":1,"extra":{"a":[1,2]},"transactionId":null,"entries":[{"link":"https://x","content":null,"other":true},{"content":"  QUJD  "}]}""")]
    [InlineData("""{"pageNumber":1,"pageCount":1,"entries":null,"keyMaterial":null}""")]
    [InlineData("""{}""")]
    [InlineData("""null""")]
    public void GivenABody_WhenParsedOverUtf8_ThenItReadsWhatTheSerializerReads(string json)
    {
        var expected = JsonSerializer.Deserialize<DataPushPage>(json, NdhmJson.Options);

        var actual = DataPushBody.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(Show(expected is null ? null : Utf8DataPushPage.From(expected)), Show(actual));
    }

    [Fact]
    public async Task GivenAPushedBody_WhenParsedOverUtf8_ThenEveryMemberIncludingKeyMaterialMatchesTheSerializersAndContentPointsIntoTheBody()
    {
        var (request, _) = Request();
        var body = Encoding.UTF8.GetBytes((await PushedBodiesAsync(request, Records(), perPage: 10)).Single());

        var actual = DataPushBody.Parse(body)!;

        var expected = JsonSerializer.Deserialize<DataPushPage>(body, NdhmJson.Options)!;
        Assert.Equal(Show(Utf8DataPushPage.From(expected)), Show(actual));
        Assert.Equal(JsonSerializer.Serialize(expected.KeyMaterial, NdhmJson.Options), JsonSerializer.Serialize(actual.KeyMaterial, NdhmJson.Options));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(actual.Entries![0].Content!.Value, out var segment));
        Assert.Same(body, segment.Array);
    }

    [Theory]
    [InlineData("""{"pageNumber":"1"}""")]
    [InlineData("""{"pageNumber":1.5}""")]
    [InlineData("""{"pageNumber":99999999999}""")]
    [InlineData("""{"transactionId":5}""")]
    [InlineData("""{"entries":{}}""")]
    [InlineData("""{"entries":[{"content":1}]}""")]
    [InlineData("""{"entries":[{"checksum":[]}]}""")]
    [InlineData("""{"pageNumber":1""")]
    [InlineData("""[]""")]
    [InlineData("""{"pageNumber":1} {}""")]
    public void GivenAMalformedBody_WhenParsedOverUtf8_ThenItIsAJsonExceptionAsWithTheSerializer(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<DataPushPage>(json, NdhmJson.Options));

        Assert.ThrowsAny<JsonException>(() => DataPushBody.Parse(Encoding.UTF8.GetBytes(json)));
    }

    private static string Show(Utf8DataPushPage? page) => page is null
        ? "null"
        : $"{page.PageNumber}/{page.PageCount}/{page.TransactionId ?? "<null>"}/{page.KeyMaterial is null}/" + (page.Entries is null
            ? "<no entries>"
            : string.Join("|", page.Entries.Select(e =>
                $"{(e.Content is { } c ? Encoding.UTF8.GetString(c.Span) : "<null>")},{e.Link},{e.Media},{e.Checksum},{e.CareContextReference}")));

    private sealed class Capture : HttpMessageHandler
    {
        public ConcurrentQueue<string> Bodies { get; } = new();

        public ConcurrentQueue<string?> ContentTypes { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ContentTypes.Enqueue(request.Content!.Headers.ContentType?.ToString());
            Bodies.Enqueue(await request.Content.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }
}
