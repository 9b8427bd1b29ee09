using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.Registry.RegistryApi;

namespace Ndhm.IntegrationTests.Registry;

[Collection(SharedSandboxHost.Name)]
public sealed class FacilityRegistryTests(SandboxHostFixture sandbox)
{
    [Fact]
    public async Task GivenAHipPartner_WhenItRegistersAFacility_ThenItGetsAStateCodedIdAndTheFacilityStartsUnverified()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);

        var (body, etag) = await RegisterFacilityAsync(sandbox, hip, Facility("City Hospital", UniqueDistrict(), stateCode: "28"));

        Assert.Matches(new Regex("^IN28[0-9]{8}$"), body.GetProperty("facilityId").GetString());
        Assert.False(body.GetProperty("verified").GetBoolean());
        Assert.Equal("hospital", body.GetProperty("facilityType").GetString());
        Assert.Equal("Andhra Pradesh", body.GetProperty("address").GetProperty("stateName").GetString());
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task GivenAnUnverifiedFacility_WhenAnAdminVerifiesIt_ThenReadsAndVerifiedSearchesShowItVerified()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var district = UniqueDistrict();
        var (registered, _) = await RegisterFacilityAsync(sandbox, hip, Facility("Verify Me Clinic", district, type: "Clinic"));
        var id = registered.GetProperty("facilityId").GetString()!;
        Assert.Empty(await SearchFacilityIdsAsync(sandbox, hip, $"district={Uri.EscapeDataString(district)}&verified=true"));

        using var verify = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, $"api/v1/facilities/{id}/verify", admin));

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var read = await GetJsonAsync(sandbox, await sandbox.TokenAsync(Roles.Hiu), $"api/v1/facilities/{id}");
        Assert.True(read.GetProperty("verified").GetBoolean());
        Assert.Equal([id], await SearchFacilityIdsAsync(sandbox, hip, $"district={Uri.EscapeDataString(district)}&verified=true"));
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_602")]
    public async Task GivenAVerifiedAndAnUnverifiedFacility_WhenAPatientSearchesByName_ThenOnlyTheVerifiedOneShowsWithSignboardFields_AndOthersAreRefused()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var patient = await sandbox.TokenAsync(Roles.Patient);
        var unique = "Sunrise " + Guid.NewGuid().ToString("N")[..8];
        var (registered, _) = await RegisterFacilityAsync(sandbox, hip, Facility(unique + " Hospital", UniqueDistrict()));
        var id = registered.GetProperty("facilityId").GetString()!;
        using (var verify = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, $"api/v1/facilities/{id}/verify", admin)))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }

        await RegisterFacilityAsync(sandbox, hip, Facility(unique + " Eye Clinic", UniqueDistrict(), type: "Clinic"));

        var found = await GetJsonAsync(sandbox, patient, $"api/v1/patients/me/facility-search?name={Uri.EscapeDataString(unique.ToUpperInvariant())}");
        using var asPartner = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, $"api/v1/patients/me/facility-search?name={unique}", hip));
        using var byTypeOnly = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, "api/v1/patients/me/facility-search?type=Pharmacy", patient));

        var only = Assert.Single(found.GetProperty("facilities").EnumerateArray());
        Assert.Equal((id, unique + " Hospital", "hospital"),
            (only.GetProperty("facilityId").GetString(), only.GetProperty("facilityName").GetString(), only.GetProperty("facilityType").GetString()));
        Assert.DoesNotContain(only.EnumerateObject(), p => p.Name is "contact" or "registeredBy" or "geoLocation" or "address");
        await Problems.AssertProblemAsync(asPartner, HttpStatusCode.Forbidden, "FORBIDDEN");
        await Problems.AssertProblemAsync(byTypeOnly, HttpStatusCode.BadRequest, "INVALID_SEARCH");
    }

    [Fact]
    public async Task GivenAHipPartner_WhenItTriesToVerifyAFacility_Then403()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var (registered, _) = await RegisterFacilityAsync(sandbox, hip, Facility("Self Verifier", UniqueDistrict()));

        using var response = await sandbox.Client.SendAsync(
            sandbox.Request(HttpMethod.Post, $"api/v1/facilities/{registered.GetProperty("facilityId").GetString()}/verify", hip));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task GivenAFacility_WhenUpdatedWithItsCurrentETag_ThenItChanges_AndTheOldETagIsThen412()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var district = UniqueDistrict();
        var (registered, etag) = await RegisterFacilityAsync(sandbox, hip, Facility("Old Name", district));
        var path = $"api/v1/facilities/{registered.GetProperty("facilityId").GetString()}";

        using var first = sandbox.Request(HttpMethod.Put, path, hip, Facility("New Name", district));
        first.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var updated = await sandbox.Client.SendAsync(first);
        Assert.True(updated.StatusCode == HttpStatusCode.OK, await updated.Content.ReadAsStringAsync());
        Assert.NotEqual(etag, updated.Headers.ETag!.ToString());

        using var second = sandbox.Request(HttpMethod.Put, path, hip, Facility("Stale Name", district));
        second.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var stale = await sandbox.Client.SendAsync(second);

        await Problems.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "CONCURRENT_UPDATE");
        Assert.Equal("New Name", (await GetJsonAsync(sandbox, hip, path)).GetProperty("facilityName").GetString());
    }

    [Fact]
    public async Task GivenAFacility_WhenUpdatedWithoutIfMatch_Then400IfMatchRequired()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var district = UniqueDistrict();
        var (registered, _) = await RegisterFacilityAsync(sandbox, hip, Facility("No Etag", district));

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Put,
            $"api/v1/facilities/{registered.GetProperty("facilityId").GetString()}", hip, Facility("No Etag 2", district)));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "IF_MATCH_REQUIRED");
    }

    [Fact]
    public async Task GivenAnotherPartnersFacility_WhenAHipUpdatesIt_Then403NotFacilityOwner()
    {
        var owner = await sandbox.TokenAsync(Roles.Hip);
        var other = await sandbox.TokenAsync(Roles.Hip);
        var district = UniqueDistrict();
        var (registered, etag) = await RegisterFacilityAsync(sandbox, owner, Facility("Mine", district));

        using var request = sandbox.Request(HttpMethod.Put, $"api/v1/facilities/{registered.GetProperty("facilityId").GetString()}", other,
            Facility("Yours now", district));
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "NOT_FACILITY_OWNER");
    }

    [Fact]
    public async Task GivenFacilitiesInADistrict_WhenSearchedByEachFilter_ThenEachFilterSelectsItsMatches()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var district = UniqueDistrict();
        var d = "district=" + Uri.EscapeDataString(district);
        var (apollo, _) = await RegisterFacilityAsync(sandbox, admin,
            Facility("Apollo Heart Hospital", district, type: "Hospital", ownership: "Private", pincode: "520001"));
        var (lab, _) = await RegisterFacilityAsync(sandbox, admin,
            Facility("City Diagnostic Lab", district, type: "Diagnostic Lab", ownership: "Government", pincode: "520002"));
        var (pharmacy, _) = await RegisterFacilityAsync(sandbox, admin,
            Facility("Jan Aushadhi Pharmacy", district, type: "Pharmacy", ownership: "Public-Private", stateCode: "36", pincode: "500003"));
        string Id(System.Text.Json.JsonElement e) => e.GetProperty("facilityId").GetString()!;
        var hiu = await sandbox.TokenAsync(Roles.Hiu);

        Assert.Equal(3, (await SearchFacilityIdsAsync(sandbox, hiu, d)).Count);
        Assert.Equal([Id(apollo)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&name=APOLLO"));
        Assert.Empty(await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&name=heart"));
        Assert.Equal([Id(apollo)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&name=HEART&nameMatch=contains"));
        Assert.Equal([Id(lab)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&type=diagnosticLab"));
        Assert.Equal([Id(lab)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&ownership=government"));
        Assert.Equal([Id(pharmacy)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&ownership=publicPrivatePartnership"));
        Assert.Equal([Id(pharmacy)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&state=36"));
        Assert.Equal([Id(pharmacy)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&state=Telangana"));
        Assert.Equal([Id(lab)], await SearchFacilityIdsAsync(sandbox, hiu, $"{d}&pincode=520002"));
        Assert.Equal(3, (await SearchFacilityIdsAsync(sandbox, hiu, "district=" + Uri.EscapeDataString(district.ToUpperInvariant()))).Count);
        Assert.StartsWith("IN36", Id(pharmacy));
    }

    [Fact]
    public async Task GivenFacilitiesAroundAPoint_WhenSearchedByDistance_ThenOnlyThoseWithinTheRadiusComeBackWithTheirDistance()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var district = UniqueDistrict();
        // Hyderabad; 0.045 degrees of latitude is ~5 km, 0.18 ~20 km; the "corner" one lies inside a 10 km
        // bounding box but ~12.5 km away, so only the haversine refinement drops it.
        const double lat = 17.385, lon = 78.4867;
        var (centre, _) = await RegisterFacilityAsync(sandbox, admin, Facility("Centre", district, lat, lon));
        var (near, _) = await RegisterFacilityAsync(sandbox, admin, Facility("Near", district, lat + 0.045, lon));
        var (corner, _) = await RegisterFacilityAsync(sandbox, admin, Facility("Corner", district, lat + 0.08, lon + 0.084));
        var (far, _) = await RegisterFacilityAsync(sandbox, admin, Facility("Far", district, lat + 0.18, lon));
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var d = "district=" + Uri.EscapeDataString(district);

        var within10 = await GetJsonAsync(sandbox, hip, $"api/v1/facilities?{d}&lat={lat}&lon={lon}&radiusKm=10");
        var hits = within10.GetProperty("facilities").EnumerateArray()
            .ToDictionary(f => f.GetProperty("facilityName").GetString()!, f => f.GetProperty("distanceKm").GetDouble());

        Assert.Equal(["Centre", "Near"], hits.Keys.Order());
        Assert.InRange(hits["Centre"], 0, 0.01);
        Assert.InRange(hits["Near"], 4.9, 5.1);
        Assert.Equal(4, (await SearchFacilityIdsAsync(sandbox, hip, $"{d}&lat={lat}&lon={lon}&radiusKm=25")).Count);
        Assert.Equal(3, (await SearchFacilityIdsAsync(sandbox, hip, $"{d}&lat={lat}&lon={lon}&radiusKm=15")).Count);
        _ = (centre, near, corner, far);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&lat=17.385&lon=78.4867&radiusKm=50")]
    public async Task GivenMoreMatchesThanAPage_WhenPagedWithTheContinuationToken_ThenEveryFacilityComesBackOnce(string extra)
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var district = UniqueDistrict();
        var registered = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (body, _) = await RegisterFacilityAsync(sandbox, admin, Facility($"Paged {i}", district));
            registered.Add(body.GetProperty("facilityId").GetString()!);
        }

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? token = null;
        var query = $"district={Uri.EscapeDataString(district)}&pageSize=2{extra}";
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await GetJsonAsync(sandbox, admin,
                "api/v1/facilities?" + query + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            var ids = page.GetProperty("facilities").EnumerateArray().Select(f => f.GetProperty("facilityId").GetString()!).ToList();
            seen.AddRange(ids);
            pageSizes.Add(ids.Count);
            token = page.TryGetProperty("continuationToken", out var t) ? t.GetString() : null;
            if (token is null)
            {
                break;
            }
        }

        Assert.Null(token);
        Assert.Equal(registered.Order(), seen.Order());
        Assert.Equal([2, 2, 1], pageSizes);
    }

    [Theory]
    [InlineData("facilityType", "Spaceport", "INVALID_FACILITY_TYPE")]
    [InlineData("ownership", "Alien", "INVALID_OWNERSHIP")]
    [InlineData("stateCode", "25", "UNKNOWN_STATE_CODE")]
    [InlineData("pincode", "012345", "INVALID_PINCODE")]
    [InlineData("pincode", "500001", "PINCODE_STATE_MISMATCH")] // Hyderabad's PIN with Andhra Pradesh's state code
    [InlineData("latitude", "91", "INVALID_GEO_LOCATION")]
    [InlineData("facilityName", " ", "INVALID_FACILITY_NAME")]
    public async Task GivenAnInvalidField_WhenRegistering_Then400WithItsCode(string field, string value, string code)
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var body = new Dictionary<string, object?>
        {
            ["facilityName"] = field == "facilityName" ? value : "Bad Input Hospital",
            ["facilityType"] = field == "facilityType" ? value : "Hospital",
            ["ownership"] = field == "ownership" ? value : "Private",
            ["systemsOfMedicine"] = new[] { "Ayurveda" },
            ["address"] = new
            {
                addressLine = "1 Road", district = "X",
                stateCode = field == "stateCode" ? value : "28",
                pincode = field == "pincode" ? value : "520001",
            },
            ["geoLocation"] = new { latitude = field == "latitude" ? double.Parse(value) : 17.0, longitude = 78.0 },
            ["contact"] = new { phone = "9876543210" },
        };

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/facilities", hip, body));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("api/v1/facilities/IN99123", HttpStatusCode.BadRequest, "INVALID_FACILITY_ID")]
    [InlineData("api/v1/facilities/IN2500000000", HttpStatusCode.BadRequest, "INVALID_FACILITY_ID")]
    [InlineData("api/v1/facilities/IN2899999999", HttpStatusCode.NotFound, "FACILITY_NOT_FOUND")]
    [InlineData("api/v1/facilities?continuationToken=garbage!", HttpStatusCode.BadRequest, "INVALID_CONTINUATION_TOKEN")]
    [InlineData("api/v1/facilities?lat=17&lon=78", HttpStatusCode.BadRequest, "INVALID_SEARCH")]
    [InlineData("api/v1/facilities?pageSize=1000", HttpStatusCode.BadRequest, "INVALID_SEARCH")]
    [InlineData("api/v1/facilities?state=99", HttpStatusCode.BadRequest, "UNKNOWN_STATE_CODE")]
    public async Task GivenABadIdOrQuery_WhenRead_ThenItsProblemCode(string path, HttpStatusCode status, string code)
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, path, hip));

        await Problems.AssertProblemAsync(response, status, code);
    }

    [Fact]
    public async Task GivenAFacilityThatClosed_WhenAnAdminDeactivatesIt_ThenReadsShowWhy_SearchesLeaveItOut_AndItIsFrozen_UntilReactivated()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var district = UniqueDistrict();
        var d = "district=" + Uri.EscapeDataString(district);
        var (open, _) = await RegisterFacilityAsync(sandbox, hip, Facility("Open Clinic", district));
        var (closing, _) = await RegisterFacilityAsync(sandbox, hip, Facility("Closing Clinic", district));
        var path = $"api/v1/facilities/{closing.GetProperty("facilityId").GetString()}";
        string Id(System.Text.Json.JsonElement e) => e.GetProperty("facilityId").GetString()!;

        using var deactivate = await SendAsync(sandbox, HttpMethod.Post, path + "/deactivate", admin, new { reason = "Closed down" });
        var (_, etag) = await ReadOkAsync(deactivate);

        var read = await GetJsonAsync(sandbox, hip, path);
        Assert.Equal(("deactivated", "Closed down"), (read.GetProperty("status").GetString(), read.GetProperty("deactivationReason").GetString()));
        Assert.Equal([Id(open)], await SearchFacilityIdsAsync(sandbox, hip, d));
        Assert.Equal([Id(closing)], await SearchFacilityIdsAsync(sandbox, hip, d + "&status=deactivated"));
        Assert.Equal(2, (await SearchFacilityIdsAsync(sandbox, hip, d + "&status=all")).Count);
        using var update = await SendAsync(sandbox, HttpMethod.Put, path, hip, Facility("Reopened?", district), etag);
        await Problems.AssertProblemAsync(update, HttpStatusCode.Conflict, "FACILITY_INACTIVE");

        using var reactivate = await SendAsync(sandbox, HttpMethod.Post, path + "/reactivate", admin, ifMatch: etag);
        Assert.Equal("active", (await ReadOkAsync(reactivate)).Body.GetProperty("status").GetString());
        Assert.Equal(2, (await SearchFacilityIdsAsync(sandbox, hip, d)).Count);
    }

    [Fact]
    public async Task GivenAStaleIfMatch_WhenAnAdminDeactivatesAFacility_Then412AndItStaysActive()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var district = UniqueDistrict();
        var (registered, etag) = await RegisterFacilityAsync(sandbox, hip, Facility("Busy Clinic", district));
        var path = $"api/v1/facilities/{registered.GetProperty("facilityId").GetString()}";
        using var rename = await SendAsync(sandbox, HttpMethod.Put, path, hip, Facility("Busier Clinic", district), etag);
        await ReadOkAsync(rename);

        using var response = await SendAsync(sandbox, HttpMethod.Post, path + "/deactivate", admin, new { reason = "Closed" }, etag);

        await Problems.AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "CONCURRENT_UPDATE");
        Assert.Equal("active", (await GetJsonAsync(sandbox, hip, path)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GivenAHipPartner_WhenItTriesToDeactivateItsOwnFacility_Then403()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var (registered, _) = await RegisterFacilityAsync(sandbox, hip, Facility("Self Closer", UniqueDistrict()));

        using var response = await SendAsync(sandbox, HttpMethod.Post,
            $"api/v1/facilities/{registered.GetProperty("facilityId").GetString()}/deactivate", hip, new { reason = "closing" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
