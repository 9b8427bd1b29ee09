using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Registry;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>Findings of a hostile probe of the running sandbox, each driven through the real HTTP surface.</summary>
[Collection(SharedSandboxHost.Name)]
public sealed class HostileRequestTests(SandboxHostFixture sandbox)
{
    [Theory]
    [InlineData("api/v3/enrollment/request/otp")]
    [InlineData("api/v1/sessions")]
    public async Task GivenAChunkedBodyOverTheLimit_WhenPosted_ThenItIsRefusedWith413Problem(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("{\"x\":\"" + new string('a', 1536 * 1024) + "\"}"))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GivenAnOversizeBodySentSlowly_WhenTheServerRefusesIt_ThenTheClientStillReadsThe413Problem(bool declaredLength)
    {
        // The server knows (from Content-Length, or once the limit is passed) that it will refuse; a client still
        // writing when the server hangs up would see a reset instead of the problem, so the body is read to its end.
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/enrollment/request/otp")
        {
            Content = new SlowContent(2 * 1024 * 1024, chunk: 64 * 1024, pause: TimeSpan.FromMilliseconds(10), declaredLength),
        };
        request.Content.Headers.ContentType = new("application/json");

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    /// <summary>A body of a declared length written in pieces with pauses, as a client on a slow uplink sends it.</summary>
    private sealed class SlowContent(int length, int chunk, TimeSpan pause, bool declaredLength) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = new byte[chunk];
            Array.Fill(piece, (byte)'a');
            for (var sent = 0; sent < length; sent += chunk)
            {
                await stream.WriteAsync(piece.AsMemory(0, Math.Min(chunk, length - sent)));
                await stream.FlushAsync();
                await Task.Delay(pause);
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return declaredLength; // without a length HttpClient sends the body chunked
        }
    }

    [Fact]
    public async Task GivenAForeignHostHeader_WhenTheSelfTestIsStarted_ThenItsLinksUseTheConfiguredBaseUrl()
    {
        var token = await sandbox.TokenAsync("PLATFORM_ADMIN");
        using var request = sandbox.Request(HttpMethod.Post, "api/ops/selftest", token);
        request.Headers.Host = "evil.example";

        using var response = await sandbox.Client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var expected = $"http://localhost:{sandbox.Host.Port}/api/ops/orchestrations/";
        Assert.StartsWith(expected, response.Headers.Location!.ToString());
        Assert.StartsWith(expected, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("statusUrl").GetString());
        Assert.DoesNotContain("evil.example", body);
    }

    public static TheoryData<string, string> HostileIds => new()
    {
        { "..\\..\\x", "backslashes" },
        { "a/b", "slash" },
        { "a?b", "question mark" },
        { "a#b", "hash" },
        { "a\u0000b", "NUL" },
        { "a\u001Bb", "ESC" },
        { new string('a', 300), "very long" },
    };

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task GivenAHostileClientId_WhenASessionIsRequested_ThenItIsRefusedWith400AndNeverLookedUp(string clientId, string kind)
    {
        using var response = await sandbox.Client.PostAsJsonAsync("api/v1/sessions",
            new { clientId, clientSecret = "x", grantType = "client_credentials" });

        // Control characters fall to the input policy before the id grammar sees them; either way a 400 with a code.
        var expected = kind is "NUL" or "ESC" ? "INVALID_TEXT" : "INVALID_CLIENT_ID";
        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, expected);
    }

    public static TheoryData<string, string, string> HostilePathIds => new()
    {
        // {path with the hostile id escaped once}, the expected code
        { "api/v1/partners/{0}", "..%5C..%5Cx", "INVALID_CLIENT_ID" },
        { "api/v1/partners/{0}", "a%3Fb", "INVALID_CLIENT_ID" },
        { "api/v1/partners/{0}", "a%23b", "INVALID_CLIENT_ID" },
        { "api/v1/partners/{0}", new string('a', 300), "INVALID_CLIENT_ID" },
        { "api/v1/partners/{0}", "a%1Bb", "INVALID_REQUEST" },
        { "api/v1/partners/{0}/secret", "..%5C..%5Cx", "INVALID_CLIENT_ID" },
        { "api/v1/facilities/{0}", "..%5C..%5Cx", "INVALID_FACILITY_ID" },
        { "api/v1/facilities/{0}", "a%3Fb", "INVALID_FACILITY_ID" },
        { "api/v1/facilities/{0}", new string('1', 300), "INVALID_FACILITY_ID" },
        { "api/v1/professionals/{0}", "..%5C..%5Cx", "INVALID_HPR_ID" },
        { "api/v1/professionals/{0}", "a%23b", "INVALID_HPR_ID" },
        // A second layer of encoding never reaches a function (the verification route used to decode it again).
        { "api/v3/verification/abha/{0}", "someone%2540sbx", "INVALID_REQUEST" },
        { "api/v1/partners/{0}", "a%252Fb", "INVALID_REQUEST" },
    };

    [Theory]
    [MemberData(nameof(HostilePathIds))]
    public async Task GivenAHostileIdInThePath_WhenAnAdminCallsTheRoute_ThenItIsRefusedWith400AndACode(string template, string id, string code)
    {
        var token = await sandbox.TokenAsync(Roles.PlatformAdmin, Roles.Hip, Roles.Hiu);
        var method = template.EndsWith("/secret", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;
        using var request = sandbox.Request(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id), token);

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("application/jsonx")]
    [InlineData("application/json-patch")]
    [InlineData("text/json")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/+json")]
    public async Task GivenANonJsonMediaType_WhenABodyIsPosted_ThenItIsRefusedWith415(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/sandbox/tokens")
        {
            Content = new ByteArrayContent("{\"subject\":\"x\",\"roles\":[\"HIP\"]}"u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("application/vnd.ndhm+json")]
    public async Task GivenAJsonMediaType_WhenABodyIsPosted_ThenItIsAccepted(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/sandbox/tokens")
        {
            Content = new ByteArrayContent("{\"subject\":\"x\",\"roles\":[\"HIP\"]}"u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await sandbox.Client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"subject\":\"x\",\"subject\":\"y\",\"roles\":[\"HIP\"]}")]
    [InlineData("{\"subject\":\"x\",\"Subject\":\"y\",\"roles\":[\"HIP\"]}")]
    [InlineData("{\"subject\":\"x\",\"roles\":[\"HIP\"],\"roles\":[\"PLATFORM_ADMIN\"]}")]
    public async Task GivenAnObjectNamingAPropertyTwice_WhenPosted_ThenItIsRefusedWith400DuplicateProperty(string json)
    {
        using var response = await sandbox.Client.PostAsync("api/sandbox/tokens", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "DUPLICATE_PROPERTY");
    }

    [Fact]
    public async Task GivenAScopeOf80000Entries_WhenAnOtpIsRequested_ThenItIsRefusedWith400TooManyItems()
    {
        var body = new { scope = Enumerable.Repeat("abha-enrol", 80_000).ToArray(), loginHint = "aadhaar", loginId = "x" };

        using var response = await sandbox.Client.PostAsJsonAsync("api/v3/enrollment/request/otp", body);

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "TOO_MANY_ITEMS");
        Assert.Equal("scope", problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("Clinic\u0000Name")]
    [InlineData("Clinic\u001BName")]
    [InlineData("Clinic\u007FName")]
    [InlineData("Clinic \u202Eevil\u202C")]
    [InlineData("Clinic \u2066isolate\u2069")]
    public async Task GivenControlOrBidiCharactersInAName_WhenAFacilityIsRegistered_ThenItIsRefusedAndNothingIsStored(string name)
    {
        var token = await sandbox.TokenAsync(Roles.Hip);
        var district = RegistryApi.UniqueDistrict();

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/facilities", token, RegistryApi.Facility(name, district)));

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_TEXT");
        Assert.Equal("facilityName", problem.GetProperty("field").GetString());
        Assert.Empty(await RegistryApi.SearchFacilityIdsAsync(sandbox, token, "district=" + Uri.EscapeDataString(district)));
    }

    [Fact]
    public async Task GivenControlCharactersInANestedFieldOrAReason_WhenPosted_ThenTheyAreRefusedToo()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var (facility, _) = await RegistryApi.RegisterFacilityAsync(sandbox, admin, RegistryApi.Facility("Reasoned Clinic", RegistryApi.UniqueDistrict()));
        var id = facility.GetProperty("facilityId").GetString()!;

        using var nested = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/facilities", admin,
            RegistryApi.Facility("Nested Clinic", "Pune\u0000District")));
        using var reason = await RegistryApi.SendAsync(sandbox, HttpMethod.Post, $"api/v1/facilities/{id}/deactivate", admin,
            new { reason = "closed\u001B[2J" });
        using var partner = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/partners", admin,
            new { clientId = "p-" + Guid.NewGuid().ToString("N")[..8], name = "Evil\u202Egnp.exe", roles = new[] { "HIU" }, bridgeUrl = "https://bridge.example.org" }));

        Assert.Equal("address.district", (await Problems.AssertProblemAsync(nested, HttpStatusCode.BadRequest, "INVALID_TEXT")).GetProperty("field").GetString());
        await Problems.AssertProblemAsync(reason, HttpStatusCode.BadRequest, "INVALID_TEXT");
        await Problems.AssertProblemAsync(partner, HttpStatusCode.BadRequest, "INVALID_TEXT");
        Assert.Equal("active", (await RegistryApi.GetJsonAsync(sandbox, admin, $"api/v1/facilities/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GivenADecomposedName_WhenAFacilityIsRegistered_ThenItIsStoredInNfc()
    {
        var token = await sandbox.TokenAsync(Roles.Hip);

        var (facility, _) = await RegistryApi.RegisterFacilityAsync(sandbox, token, RegistryApi.Facility("Cafe\u0301 Clinic", RegistryApi.UniqueDistrict()));

        var stored = await RegistryApi.GetJsonAsync(sandbox, token, "api/v1/facilities/" + facility.GetProperty("facilityId").GetString());
        Assert.Equal("Caf\u00E9 Clinic", stored.GetProperty("facilityName").GetString());
    }

    [Fact]
    public async Task GivenATextFieldOverTheDefaultLimit_WhenPosted_ThenItIsRefusedWith400InvalidText()
    {
        var token = await sandbox.TokenAsync(Roles.Hip);

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/facilities", token,
            RegistryApi.Facility("Clinic", new string('d', 10_000))));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_TEXT");
    }

    [Fact]
    public async Task GivenAnotherPartnersFacility_WhenAPartnerListsAProfessionalThere_Then403NotFacilityOwner()
    {
        var owner = await sandbox.TokenAsync(Roles.Hip);
        var intruder = await sandbox.TokenAsync(Roles.Hip);
        var (facility, _) = await RegistryApi.RegisterFacilityAsync(sandbox, owner, RegistryApi.Facility("Owned Clinic", RegistryApi.UniqueDistrict()));
        var facilityId = facility.GetProperty("facilityId").GetString()!;

        using var refused = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/professionals", intruder, Doctor(facilityId)));
        using var accepted = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/professionals", owner, Doctor(facilityId)));

        await Problems.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "NOT_FACILITY_OWNER");
        Assert.True(accepted.StatusCode == HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(9 * 1024)]
    [InlineData(40 * 1024)]
    public async Task GivenARequestLineOverTheLimit_WhenSent_ThenItIsRefusedWith414Problem(int pathLength)
    {
        using var response = await sandbox.Client.GetAsync("api/v1/facilities/" + new string('a', pathLength));

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "URI_TOO_LONG");
    }

    [Fact]
    public async Task GivenAnEncodedNulInThePath_WhenKestrelRefusesItBeforeTheApp_ThenTheAnswerIsStill400Problem()
    {
        using var response = await sandbox.Client.GetAsync("api/v1/facilities/abc%00def");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_REQUEST");
    }

    [Fact]
    public async Task GivenARequestLineOverKestrelsOwnLimit_WhenSent_ThenTheAnswerIsStill414Problem()
    {
        using var response = await sandbox.Client.GetAsync("api/v1/facilities/" + new string('a', 70 * 1024));

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, "URI_TOO_LONG");
    }

    private static object Doctor(string facilityId) => new
    {
        name = "Asha " + new string(Enumerable.Range(0, 6).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray()) + " Rao",
        category = "doctor",
        council = "Telangana State Medical Council",
        registrationNumber = "TSMC/" + Guid.NewGuid().ToString("N")[..10],
        qualifications = new[] { "MBBS" },
        specialties = new[] { "General Medicine" },
        languages = new[] { "English" },
        facilityIds = new[] { facilityId },
    };
}
