using System.Net.Http.Headers;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.GrpcHost;

/// <summary>
/// The same platform cases (<see cref="PlatformCases"/>) against the local host and against the built function app
/// run as Azure runs it (worker process over the Functions gRPC protocol, HTTP forwarded to the worker's ASP.NET Core
/// endpoint, HttpGateMiddleware and the generated function metadata in the path): each host must give the expected
/// answer, so both give the same.
/// </summary>
// One harness at a time: each starts a worker process, and several cold starts at once miss the start-up deadline.
[Collection("gRPC host harness")]
public sealed class BothHostsPlatformTests(BothHostsFixture hosts) : IClassFixture<BothHostsFixture>
{
    public static TheoryData<string, HostKind> Cases()
    {
        var data = new TheoryData<string, HostKind>();
        foreach (var platformCase in PlatformCases.All)
        {
            data.Add(platformCase.Name, HostKind.Local);
            data.Add(platformCase.Name, HostKind.GrpcWorker);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Given_a_platform_case_When_sent_to_a_host_Then_the_host_answers_as_expected(string name, HostKind kind)
    {
        var platformCase = PlatformCases.All.Single(c => c.Name == name);
        var host = hosts[kind];
        var requestId = platformCase.RequestId ?? Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(platformCase.Method, platformCase.Path);
        request.Headers.Add("REQUEST-ID", requestId);
        var token = platformCase.RawToken
            ?? (platformCase.Roles.Length > 0 ? await SandboxHostFixture.TokenForAsync(host.Client, Subject(platformCase), platformCase.Roles) : null);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Content = platformCase.Body?.Invoke();

        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(platformCase.Status == (int)response.StatusCode,
            $"{kind}: expected {platformCase.Status}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}\n{(kind == HostKind.GrpcWorker ? host.Output[^Math.Min(host.Output.Length, 3000)..] : "")}");
        if (platformCase.Code is not null)
        {
            await Problems.AssertProblemAsync(response, (System.Net.HttpStatusCode)platformCase.Status, platformCase.Code);
            Assert.Equal(requestId, JsonDocument.Parse(body).RootElement.TryGetProperty("requestId", out var echoed) ? echoed.GetString() : requestId);
        }

        if (platformCase.Status != 404 || platformCase.Code is not null)
        {
            // Every answer the platform gives (not the router's bodiless 404) carries the caller's request id.
            Assert.Equal(requestId, response.Headers.TryGetValues("REQUEST-ID", out var ids) ? ids.Single() : null);
        }
        else if (kind == HostKind.Local)
        {
            // The one known difference: the local host answers an unrouted path with a problem (found by the
            // generated bad-input suite); Azure's Functions host, like this harness, answers it itself without a body.
            Assert.Contains("\"ROUTE_NOT_FOUND\"", body);
        }
        else
        {
            Assert.Empty(body);
        }
    }

    // A patient's token names an ABHA number (a fresh one: nothing is stored for it); others any subject.
    private static string Subject(PlatformCase platformCase) =>
        platformCase.Roles.Contains("PATIENT") ? Pharmacy.PharmacyHostFixture.NewAbhaNumber() : "both-hosts-" + Guid.NewGuid().ToString("N")[..8];
}
