using System.Net;
using Ndhm.IntegrationTests.HealthId;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Abdm;

/// <summary>
/// The ABDM v0.5 protocol over the real HTTP surface, driven through <c>/v0.5/users/auth/fetch-modes</c>: the
/// envelope (requestId/timestamp in body or headers, X-CM-ID), 202 with an empty body, the callback's shape and
/// headers, idempotency and ABDM's error shape.
/// </summary>
public sealed class AbdmProtocolTests(AbdmHostFixture host) : IClassFixture<AbdmHostFixture>
{
    private const string FetchModes = "/v0.5/users/auth/fetch-modes";
    private const string OnFetchModes = "/v0.5/users/auth/on-fetch-modes";

    private static object Query(string id, string? requester = null, string purpose = "KYC_AND_LINK", string type = "HIP") =>
        new { query = Inner(id, requester, purpose, type) };

    private static object Inner(string id, string? requester, string purpose, string type) => new { id, purpose, requester = new { type, id = requester } };

    [Fact]
    public async Task GivenAnEnrolledPatient_WhenAHipFetchesAuthModes_Then202AndOnFetchModesAtItsBridge()
    {
        var enrolment = await EnrolAsync(host.Client, host.NextIdentity());
        var address = "p" + Guid.NewGuid().ToString("N")[..10];
        await OkJsonAsync(await PostAsync(host.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = address, preferred = true }, Token(enrolment)));
        var hip = await host.HipAsync();

        var requestId = await hip.AcceptedAsync(FetchModes, Query(address + "@sbx", hip.HipId));
        var callback = await hip.CallbackAsync(OnFetchModes, requestId);

        Assert.Equal("sbx", callback.Headers["X-CM-ID"]);
        Assert.Equal(hip.HipId, callback.Headers["X-HIP-ID"]);
        Assert.Equal(callback.Body.GetProperty("requestId").GetString(), callback.Headers["REQUEST-ID"]);
        Assert.False(callback.Headers.ContainsKey("X-HIU-ID"));
        Assert.True(Guid.TryParse(callback.Body.GetProperty("requestId").GetString(), out _));
        Assert.NotEqual(requestId, callback.Body.GetProperty("requestId").GetString());
        Assert.EndsWith("Z", callback.Body.GetProperty("timestamp").GetString());
        var auth = callback.Body.GetProperty("auth");
        Assert.Equal("KYC_AND_LINK", auth.GetProperty("purpose").GetString());
        Assert.Equal(["MOBILE_OTP", "DEMOGRAPHICS", "DIRECT"], auth.GetProperty("modes").EnumerateArray().Select(m => m.GetString()));
        Assert.False(callback.Body.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task GivenAnUnknownPatient_WhenAnHiuFetchesAuthModes_ThenTheCallbackCarriesAbdm1051()
    {
        var hiu = await host.HiuAsync();

        var requestId = await hiu.AcceptedAsync(FetchModes, Query("nobody" + Guid.NewGuid().ToString("N")[..8] + "@sbx", hiu.ClientId, "LINK", "HIU"));
        var callback = await hiu.CallbackAsync(OnFetchModes, requestId);

        Assert.Equal(hiu.ClientId, callback.Headers["X-HIU-ID"]);
        Assert.False(callback.Headers.ContainsKey("X-HIP-ID"));
        var error = callback.Body.GetProperty("error");
        Assert.Equal("ABDM-1051", error.GetProperty("code").GetString());
        Assert.Equal("PATIENT_NOT_FOUND", error.GetProperty("ndhmCode").GetString());
        Assert.False(callback.Body.TryGetProperty("auth", out _));
    }

    [Fact]
    public async Task GivenTheSameRequestIdTwice_WhenSent_ThenBothAre202AndOneCallbackIsSent()
    {
        var hiu = await host.HiuAsync();
        var query = Inner("twice" + Guid.NewGuid().ToString("N")[..8] + "@sbx", hiu.ClientId, "KYC", "HIU");
        var requestId = Guid.NewGuid().ToString();
        var timestamp = AbdmPartner.Now();

        await hiu.AcceptedAsync(FetchModes, new { timestamp, query }, requestId);
        await hiu.AcceptedAsync(FetchModes, new { timestamp, query }, requestId);
        await hiu.CallbackAsync(OnFetchModes, requestId);
        var delivery = await host.Gateway.WaitForDeliveryAsync(hiu.Token, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));

        Assert.Equal(requestId, delivery.GetProperty("answersRequestId").GetString());
        using var list = await host.Client.SendAsync(Gateway.GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", hiu.Token));
        var deliveries = (await OkJsonAsync(list)).GetProperty("deliveries");
        Assert.Equal(1, deliveries.GetArrayLength());
    }

    [Fact]
    public async Task GivenARequestIdReusedWithAnotherBody_WhenSent_Then409Abdm1064()
    {
        var hiu = await host.HiuAsync();
        var requestId = await hiu.AcceptedAsync(FetchModes, Query("first" + Guid.NewGuid().ToString("N")[..8] + "@sbx", hiu.ClientId, "KYC", "HIU"));

        var (response, _) = await hiu.PostAsync(FetchModes, Query("second@sbx", hiu.ClientId, "KYC", "HIU"), requestId);

        using (response) await AbdmPartner.AssertAbdmErrorAsync(response, HttpStatusCode.Conflict, "ABDM-1064", "REQUEST_ID_REUSED");
    }

    [Fact]
    public async Task GivenTheV3HeadersAgreeingWithTheBody_WhenSent_Then202_AndWhenTheyDisagree_Then400Abdm1030()
    {
        var hiu = await host.HiuAsync();
        var requestId = Guid.NewGuid().ToString();
        var payload = Query("hdr" + Guid.NewGuid().ToString("N")[..8] + "@sbx", hiu.ClientId, "KYC", "HIU");

        var (agreeing, _) = await hiu.PostAsync(FetchModes, payload, requestId, new Dictionary<string, string?> { ["REQUEST-ID"] = requestId });
        var (disagreeing, _) = await hiu.PostAsync(FetchModes, payload, null, new Dictionary<string, string?> { ["REQUEST-ID"] = Guid.NewGuid().ToString() });

        using (agreeing) Assert.Equal(HttpStatusCode.Accepted, agreeing.StatusCode);
        using (disagreeing) await AbdmPartner.AssertAbdmErrorAsync(disagreeing, HttpStatusCode.BadRequest, "ABDM-1030", "MISMATCHED_REQUEST_ID");
    }

    [Theory]
    [InlineData(null, "MISSING_CM_ID")]
    [InlineData(" ", "MISSING_CM_ID")]
    [InlineData("abdm", "UNKNOWN_CM_ID")]
    public async Task GivenABlankOrForeignCmId_WhenSent_Then400InAbdmShape(string? cmId, string ndhmCode)
    {
        var hiu = await host.HiuAsync();

        var (response, _) = await hiu.PostAsync(FetchModes, Query("x@sbx", hiu.ClientId, "KYC", "HIU"), null,
            new Dictionary<string, string?> { ["X-CM-ID"] = cmId });

        using (response) await AbdmPartner.AssertAbdmErrorAsync(response, HttpStatusCode.BadRequest, "ABDM-1033", ndhmCode);
    }

    [Fact]
    public async Task GivenABlankRequestIdOrAStaleTimestamp_WhenSent_Then400Abdm1030Or1016()
    {
        var hiu = await host.HiuAsync();
        var query = Inner("x@sbx", hiu.ClientId, "KYC", "HIU");

        var (blankId, _) = await hiu.PostAsync(FetchModes, new { requestId = " ", query });
        var (stale, _) = await hiu.PostAsync(FetchModes, new { timestamp = "2020-01-01T00:00:00.000Z", query });

        using (blankId) await AbdmPartner.AssertAbdmErrorAsync(blankId, HttpStatusCode.BadRequest, "ABDM-1030", "MISSING_REQUEST_ID");
        using (stale) await AbdmPartner.AssertAbdmErrorAsync(stale, HttpStatusCode.BadRequest, "ABDM-1016", "STALE_TIMESTAMP");
    }

    [Fact]
    public async Task GivenAHipNamingAFacilityItDoesNotServe_WhenSent_Then403Abdm1035()
    {
        var hip = await host.HipAsync();
        var other = await host.HipAsync();

        var (response, _) = await hip.PostAsync(FetchModes, Query("x@sbx", other.HipId), null,
            new Dictionary<string, string?> { ["X-HIP-ID"] = other.HipId });

        using (response) await AbdmPartner.AssertAbdmErrorAsync(response, HttpStatusCode.Forbidden, "ABDM-1035", "FACILITY_NOT_SERVED");
    }

    [Fact]
    public async Task GivenARequesterThatIsNotTheCaller_WhenSent_Then403AndNothingIsAccepted()
    {
        var hip = await host.HipAsync();

        var (response, _) = await hip.PostAsync(FetchModes, Query("x@sbx", "IN0000000000"));

        using (response) await AbdmPartner.AssertAbdmErrorAsync(response, HttpStatusCode.Forbidden, "ABDM-1035", "FORBIDDEN");
    }

    [Fact]
    public async Task GivenNoToken_WhenSent_Then401InAbdmShape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api" + FetchModes) { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("X-CM-ID", "sbx");

        using var response = await host.Client.SendAsync(request);

        await AbdmPartner.AssertAbdmErrorAsync(response, HttpStatusCode.Unauthorized, "ABDM-1002", "UNAUTHENTICATED");
    }
}
