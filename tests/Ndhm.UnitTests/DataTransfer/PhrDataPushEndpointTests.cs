using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ndhm.Core.Errors;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fhir.Validation;
using Ndhm.Triggers.Phr;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>
/// The platform's push endpoint reads the body over UTF-8 (content never a string) and still makes the checks every
/// JSON body gets: malformed JSON, duplicate members, and the text policy (on content too when it is not printable ASCII).
/// </summary>
public sealed class PhrDataPushEndpointTests
{
    private static ReceivePhrDataPush Endpoint() => new(new HiuDataReceiver(new NoTransactions(), new NoOne(), new InMemoryPushPageLog(),
        AbdmFhirValidator.Shared, new NoSink(), TimeProvider.System));

    private static HttpRequest Post(string json)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return http.Request;
    }

    private static string Page(string content, string checksum = "c") =>
        $$$"""{"pageNumber":1,"pageCount":1,"transactionId":"t-unknown","entries":[{"content":"{{{content}}}","media":"application/fhir+json","checksum":"{{{checksum}}}","careContextReference":"v"}],"keyMaterial":{}}""";

    [Theory]
    [InlineData("QUJD", "c")]
    [InlineData("QUJD\\u002BRA==", "c")]
    [InlineData("QUJD\u00e9", "c")]
    public async Task GivenAWellFormedPage_WhenPushed_ThenItReachesTheReceiverWhichRefusesAnUnknownTransaction(string content, string checksum)
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => Endpoint().Run(Post(Page(content, checksum)), CancellationToken.None));

        Assert.Equal(HiuDataReceiver.PushNotAuthenticated, e.Code);
    }

    [Theory]
    [InlineData("QUJD\\u0007", "c", "entries[0].content")]
    [InlineData("QUJD\\n", "c", "entries[0].content")]
    [InlineData("QUJD\u00e9\\u0085", "c", "entries[0].content")]
    [InlineData("QUJD", "c\\u0000", "entries[0].checksum")]
    public async Task GivenControlCharactersInAMember_WhenPushed_ThenTheTextPolicyRefusesItNamingTheMember(string content, string checksum, string field)
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => Endpoint().Run(Post(Page(content, checksum)), CancellationToken.None));

        Assert.Equal(ErrorCodes.InvalidText, e.Code);
        Assert.Contains(field, e.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"pageNumber":"1"}""", ErrorCodes.MalformedJson)]
    [InlineData("""{"entries":[{"content":"QUJD"}]""", ErrorCodes.MalformedJson)]
    [InlineData("""{"pageNumber":1,"PageNumber":2}""", ErrorCodes.DuplicateProperty)]
    [InlineData("""null""", ErrorCodes.InvalidRequest)]
    public async Task GivenABodyThatIsNotAPage_WhenPushed_ThenItIsRefusedWithTheUsualCode(string json, string code)
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => Endpoint().Run(Post(json), CancellationToken.None));

        Assert.Equal(code, e.Code);
    }

    private sealed class NoTransactions : IHiuTransferContexts
    {
        public Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct) => Task.FromResult<HiuTransferContext?>(null);
    }

    private sealed class NoOne : IPushAuthenticator
    {
        public Task<string?> AuthenticateAsync(string? bearerToken, string transactionId, CancellationToken ct) => Task.FromResult<string?>(null);
    }

    private sealed class NoSink : IDecryptedRecordSink
    {
        public Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct) => Task.CompletedTask;
    }
}
