using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ndhm.Cli.Conformance;
using Ndhm.Cli.Story;

namespace Ndhm.UnitTests.Cli;

/// <summary>
/// How the HIP kit judges a message from its bridge, as the HIP's desk shows it (<c>GET messages</c>): a schema
/// violation or a platform refusal fails the case with that reason; no desk checks nothing.
/// </summary>
public sealed class ConformancePartnerMessagesTests
{
    private const string Path = "/v0.5/links/link/add-contexts";

    private static string Entry(string body, int status = 202, string answer = "") =>
        "{\"entries\":[{\"direction\":\"sent\",\"path\":\"" + Path + "\",\"status\":" + status.ToString(CultureInfo.InvariantCulture) + ",\"answer\":" + JsonSerializer.Serialize(answer)
        + ",\"body\":" + body + "}]}";

    private static string AddContexts(bool withDisplay) =>
        """
        {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
         "link":{"accessToken":"eyJ.a.b","patient":{"referenceNumber":"P-1","display":"Asha Verma",
           "careContexts":[{"referenceNumber":"OP-1"
        """ + (withDisplay ? ",\"display\":\"OPD visit\"" : "") + "}]}}}";

    private static PartnerMessages Desk(string listing, bool hasDesk = true)
    {
        var partners = new HttpClient(new Answering(listing)) { BaseAddress = new Uri("http://desk.test/hospital/") };
        return new PartnerMessages(new StoryClient(new HttpClient(), partners), hasDesk, TimeSpan.Zero, "HIP");
    }

    [Fact]
    public async Task GivenAWellFormedAcceptedMessage_WhenChecked_ThenItsBodyComesBack()
    {
        var body = await Desk(Entry(AddContexts(withDisplay: true))).CheckAsync(Path, "sent", _ => true, "with the token");

        Assert.Equal("P-1", body!.Value.GetProperty("link").GetProperty("patient").GetProperty("referenceNumber").GetString());
    }

    [Fact]
    public async Task GivenAMessageBreakingAbdmsSchema_WhenChecked_ThenTheCaseFailsNamingTheRuleAndWhereItBreaks()
    {
        var e = await Assert.ThrowsAsync<StoryException>(() => Desk(Entry(AddContexts(withDisplay: false))).CheckAsync(Path, "sent", _ => true, "with the token"));

        Assert.StartsWith("the HIP's /v0.5/links/link/add-contexts does not match ABDM's PatientCareContextLinkRequest (ndhm-hip.yml): /link/patient/careContexts/0: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("display", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAWellFormedMessageThePlatformRefused_WhenChecked_ThenTheCaseFailsWithThePlatformsAnswer()
    {
        var e = await Assert.ThrowsAsync<StoryException>(() =>
            Desk(Entry(AddContexts(withDisplay: true), 400, "{\"error\":{\"code\":\"ABDM-1017\"}}")).CheckAsync(Path, "sent", _ => true, "with the token"));

        Assert.Contains("the platform refused the HIP's /v0.5/links/link/add-contexts with the token: 400", e.Message, StringComparison.Ordinal);
        Assert.Contains("ABDM-1017", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenNoMatchingMessage_WhenChecked_ThenTheCaseFailsSayingTheDeskShowsNone()
    {
        var e = await Assert.ThrowsAsync<StoryException>(() => Desk(Entry(AddContexts(withDisplay: true))).CheckAsync(Path, "sent", _ => false, "with the token"));

        Assert.Contains("the HIP's desk shows no /v0.5/links/link/add-contexts sent with the token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAMalformedPlatformMessage_WhenChecked_ThenTheReasonBlamesTheSandboxNotThePartner()
    {
        var onAddContexts = """{"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z"}""";
        var listing = Entry(onAddContexts).Replace(Path, "/v0.5/links/link/on-add-contexts", StringComparison.Ordinal).Replace("\"sent\"", "\"received\"", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<StoryException>(() => Desk(listing).CheckAsync("/v0.5/links/link/on-add-contexts", "received", _ => true, "answering"));

        Assert.StartsWith("the platform's (a sandbox defect, not the HIP's) /v0.5/links/link/on-add-contexts", e.Message, StringComparison.Ordinal);
        Assert.Contains("resp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenNoDesk_WhenChecked_ThenNothingIsCheckedOrAsked()
    {
        var desk = Desk("not json: the desk must not be called", hasDesk: false);

        var body = await desk.CheckAsync(Path, "sent", _ => true, "with the token");
        var reason = await desk.ReasonAsync(Path, _ => true, "with the token");

        Assert.Null(body);
        Assert.Null(reason);
    }

    [Fact]
    public async Task GivenAMalformedMessage_WhenAskedWhyItDidNotCount_ThenTheSchemaViolationIsTheReason()
    {
        var reason = await Desk(Entry(AddContexts(withDisplay: false))).ReasonAsync(Path, _ => true, "with the token");

        Assert.NotNull(reason);
        Assert.Contains("PatientCareContextLinkRequest", reason, StringComparison.Ordinal);
    }

    private sealed class Answering(string listing) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(listing, Encoding.UTF8, "application/json") });
    }
}
