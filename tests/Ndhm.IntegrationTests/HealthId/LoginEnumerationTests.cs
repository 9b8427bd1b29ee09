using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// The unauthenticated login OTP request answers a known and an unknown ABHA number, address or mobile alike, and the
/// decoy transaction an unknown one gets fails verification exactly as a wrong OTP does.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class LoginEnumerationTests(SharedHealthIdHostFixture sandbox)
{
    private const string LoginOtp = "v3/profile/login/request/otp";
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task GivenKnownAndUnknownIdentifiers_WhenALoginOtpIsRequested_ThenTheAnswersMatchFieldByField()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var handle = "t" + Guid.NewGuid().ToString("N")[..12];
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(enrolled)));
        var unknownMobile = HealthIdHostFixture.NewMobileOnly().Mobile;
        var pairs = new[]
        {
            ("abha-number", Number(enrolled), "91-5408-0214-0264"),
            ("abha-address", handle + "@sbx", "z" + Guid.NewGuid().ToString("N")[..12] + "@sbx"),
            ("mobile", identity.Mobile, unknownMobile),
        };

        foreach (var (hint, knownId, unknownId) in pairs)
        {
            using var known = await PostAsync(Client, LoginOtp, new { loginHint = hint, loginId = knownId });
            using var unknown = await PostAsync(Client, LoginOtp, new { loginHint = hint, loginId = unknownId });
            var (knownBody, unknownBody) = (await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
            Assert.Equal(known.StatusCode, unknown.StatusCode);
            Assert.Equal(HeaderNames(known), HeaderNames(unknown));
            Assert.Equal(known.Content.Headers.ContentType?.ToString(), unknown.Content.Headers.ContentType?.ToString());
            using var k = JsonDocument.Parse(knownBody);
            using var u = JsonDocument.Parse(unknownBody);
            Assert.Equal(Shape(k.RootElement), Shape(u.RootElement));
            Assert.Equal(k.RootElement.GetProperty("message").GetString(), u.RootElement.GetProperty("message").GetString());
            Assert.True(Guid.TryParseExact(k.RootElement.GetProperty("txnId").GetString(), "D", out _), knownBody);
            Assert.True(Guid.TryParseExact(u.RootElement.GetProperty("txnId").GetString(), "D", out _), unknownBody);
            Assert.Equal(k.RootElement.GetProperty("txnId").GetString()!.Length, u.RootElement.GetProperty("txnId").GetString()!.Length);
            Assert.InRange(u.RootElement.GetProperty("expiresAt").GetDateTimeOffset() - k.RootElement.GetProperty("expiresAt").GetDateTimeOffset(),
                TimeSpan.Zero, TimeSpan.FromMinutes(1));
            // No digits of the mobile in either answer.
            Assert.DoesNotContain(identity.Mobile[^4..], knownBody, StringComparison.Ordinal);
            Assert.DoesNotContain(unknownMobile[^4..], unknownBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GivenADecoyTransaction_WhenVerified_ThenItFailsExactlyAsAWrongOtpOnARealOne()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var realTxn = await RequestOtpAsync(Client, LoginOtp, "abha-number", Number(enrolled));
        var code = await ReadOtpAsync(Client, identity.Mobile, realTxn);
        var decoyTxn = await RequestOtpAsync(Client, LoginOtp, "abha-number", "91-5408-0214-0264");

        using var wrongOnReal = await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(realTxn, WrongOtp(code)) });
        using var onDecoy = await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(decoyTxn, WrongOtp(code)) });

        var realProblem = await Problems.AssertProblemAsync(wrongOnReal, HttpStatusCode.BadRequest, "OTP_INVALID");
        var decoyProblem = await Problems.AssertProblemAsync(onDecoy, HttpStatusCode.BadRequest, "OTP_INVALID");
        Assert.Equal(Comparable(realProblem), Comparable(decoyProblem));
        Assert.Equal(HeaderNames(wrongOnReal), HeaderNames(onDecoy));
    }

    private static string Shape(JsonElement body) =>
        string.Join(",", body.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}"));

    /// <summary>Everything but what names the request itself.</summary>
    private static string Comparable(JsonElement problem) =>
        string.Join(";", problem.EnumerateObject().Where(p => p.Name is not ("instance" or "requestId")).Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    private static string HeaderNames(HttpResponseMessage response) =>
        string.Join(",", response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key))
            .Where(n => n is not ("Date" or "Content-Length")).Order(StringComparer.OrdinalIgnoreCase));
}
