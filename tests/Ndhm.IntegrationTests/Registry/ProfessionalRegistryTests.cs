using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.Registry.RegistryApi;

namespace Ndhm.IntegrationTests.Registry;

[Collection(SharedSandboxHost.Name)]
public sealed class ProfessionalRegistryTests(SandboxHostFixture sandbox)
{
    private static string UniqueRegistration() => "REG-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    private static object Professional(string name, string registration, string council = "Telangana State Medical Council",
        string category = "doctor", string[]? specialties = null, string[]? languages = null, string[]? facilityIds = null) => new
    {
        name,
        category,
        council,
        registrationNumber = registration,
        qualifications = new[] { "MBBS", "MD" },
        specialties = specialties ?? ["Cardiology"],
        languages = languages ?? ["English", "Telugu"],
        facilityIds = facilityIds ?? [],
    };

    private async Task<HttpResponseMessage> RegisterAsync(string token, object body) =>
        await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/professionals", token, body));

    private async Task<JsonElement> RegisterOkAsync(string token, object body)
    {
        using var response = await RegisterAsync(token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(JsonElement Body, string ETag)> RegisterWithETagAsync(string token, object body)
    {
        using var response = await RegisterAsync(token, body);
        return await ReadOkAsync(response, HttpStatusCode.Created);
    }

    private static string Path(JsonElement professional) => $"api/v1/professionals/{professional.GetProperty("hprId").GetString()}";

    private async Task<List<string>> SearchAsync(string token, string query) =>
        (await GetJsonAsync(sandbox, token, "api/v1/professionals?" + query)).GetProperty("professionals").EnumerateArray()
        .Select(p => p.GetProperty("hprId").GetString()!).ToList();

    [Fact]
    public async Task GivenADoctor_WhenRegistered_ThenTheyGetA14DigitIdAndAnHprSbxAddressAndStartUnverified_UntilAnAdminVerifies()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);

        var doctor = await RegisterOkAsync(hip, Professional("Anita Sharma", UniqueRegistration()));
        var id = doctor.GetProperty("hprId").GetString()!;

        Assert.Matches(new Regex("^[1-9][0-9]{13}$"), id);
        Assert.Matches(new Regex(@"^anita\.sharma([0-9]{4})?@hpr\.sbx$"), doctor.GetProperty("hprAddress").GetString());
        Assert.False(doctor.GetProperty("verified").GetBoolean());

        using var verify = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, $"api/v1/professionals/{id}/verify", admin));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.True((await GetJsonAsync(sandbox, hip, $"api/v1/professionals/{id}")).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task GivenAHipPartner_WhenItTriesToVerifyAProfessional_Then403()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var doctor = await RegisterOkAsync(hip, Professional("Self Verifier", UniqueRegistration()));

        using var response = await sandbox.Client.SendAsync(
            sandbox.Request(HttpMethod.Post, $"api/v1/professionals/{doctor.GetProperty("hprId").GetString()}/verify", hip));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task GivenARegisteredCouncilNumber_WhenRegisteredAgainAtTheSameCouncil_Then409_ButAnotherCouncilMayUseIt()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var registration = UniqueRegistration();
        await RegisterOkAsync(hip, Professional("First Holder", registration, council: "Karnataka Medical Council"));

        using var duplicate = await RegisterAsync(hip, Professional("Second Holder", registration.ToLowerInvariant(), council: "karnataka  medical council"));

        await Problems.AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "DUPLICATE_COUNCIL_REGISTRATION");
        await RegisterOkAsync(hip, Professional("Other Council Holder", registration, council: "Kerala Nursing Council", category: "nurse"));
    }

    [Fact]
    public async Task GivenAnUnregisteredFacility_WhenAProfessionalNamesIt_Then400UnknownFacility()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);

        using var response = await RegisterAsync(hip, Professional("Nowhere Doc", UniqueRegistration(), facilityIds: ["IN2899999998"]));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "UNKNOWN_FACILITY");
    }

    [Fact]
    public async Task GivenProfessionals_WhenSearchedBySpecialtyLanguageFacilityAndName_ThenEachFilterSelectsItsMatches()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var (facility, _) = await RegisterFacilityAsync(sandbox, admin, Facility("Practice Hospital", UniqueDistrict()));
        var facilityId = facility.GetProperty("facilityId").GetString()!;
        var tag = Guid.NewGuid().ToString("N")[..8];
        // A specialty and a language unique to this test keep other tests' professionals out of the results.
        var specialty = "Cardiology " + tag;
        var language = "Tamil " + tag;
        var a = await RegisterOkAsync(admin, Professional($"Ravi {tag} Kumar", UniqueRegistration(), specialties: [specialty, "Medicine"],
            languages: [language], facilityIds: [facilityId]));
        var b = await RegisterOkAsync(admin, Professional($"Meena {tag} Iyer", UniqueRegistration(), specialties: [specialty],
            languages: ["Hindi"]));
        string Id(JsonElement e) => e.GetProperty("hprId").GetString()!;
        var teleconsult = await sandbox.TokenAsync(Roles.Teleconsult);

        Assert.Equal(new[] { Id(a), Id(b) }.Order(), (await SearchAsync(teleconsult, "specialty=" + Uri.EscapeDataString(specialty.ToUpperInvariant()))).Order());
        Assert.Equal([Id(a)], await SearchAsync(teleconsult, "language=" + Uri.EscapeDataString(language)));
        Assert.Equal([Id(a)], await SearchAsync(teleconsult, "facilityId=" + facilityId));
        Assert.Equal([Id(b)], await SearchAsync(teleconsult, "name=" + Uri.EscapeDataString($"MEENA {tag}")));
    }

    [Theory]
    [InlineData("category", "surgeon", "INVALID_CATEGORY")]
    [InlineData("registrationNumber", "", "INVALID_COUNCIL_REGISTRATION")]
    [InlineData("name", "", "INVALID_PROFESSIONAL_NAME")]
    [InlineData("facilityIds", "IN00", "INVALID_FACILITY_ID")]
    public async Task GivenAnInvalidField_WhenRegisteringAProfessional_Then400WithItsCode(string field, string value, string code)
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var body = new Dictionary<string, object?>
        {
            ["name"] = field == "name" ? value : "Valid Name",
            ["category"] = field == "category" ? value : "doctor",
            ["council"] = "Some Council",
            ["registrationNumber"] = field == "registrationNumber" ? value : UniqueRegistration(),
            ["qualifications"] = new[] { "MBBS" },
            ["specialties"] = new[] { "Medicine" },
            ["languages"] = new[] { "English" },
            ["facilityIds"] = field == "facilityIds" ? new[] { value } : Array.Empty<string>(),
        };

        using var response = await RegisterAsync(hip, body);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("api/v1/professionals/123", HttpStatusCode.BadRequest, "INVALID_HPR_ID")]
    [InlineData("api/v1/professionals/99-9999-9999-9990", HttpStatusCode.NotFound, "PROFESSIONAL_NOT_FOUND")]
    public async Task GivenABadOrUnknownHprId_WhenRead_ThenItsProblemCode(string path, HttpStatusCode status, string code)
    {
        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, path, await sandbox.TokenAsync(Roles.Hiu)));

        await Problems.AssertProblemAsync(response, status, code);
    }

    [Fact]
    public async Task GivenAProfessional_WhenUpdatedWithTheCurrentETag_ThenTheyChange_AndTheOldETagIsThen412()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var registration = UniqueRegistration();
        var (doctor, etag) = await RegisterWithETagAsync(hip, Professional("Kiran Rao", registration));

        using var first = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), hip,
            Professional("Kiran Rao", registration, languages: ["English", "Kannada"]), etag);
        var (updated, newETag) = await ReadOkAsync(first);
        using var stale = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), hip,
            Professional("Kiran Rao", registration, languages: ["Hindi"]), etag);

        Assert.NotEqual(etag, newETag);
        Assert.Equal(["English", "Kannada"], updated.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(doctor.GetProperty("hprAddress").GetString(), updated.GetProperty("hprAddress").GetString());
        await Problems.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "CONCURRENT_UPDATE");
        var read = await GetJsonAsync(sandbox, hip, Path(doctor));
        Assert.Equal(2, read.GetProperty("languages").GetArrayLength());
    }

    [Fact]
    public async Task GivenAProfessional_WhenUpdatedWithoutIfMatch_Then400IfMatchRequired()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var registration = UniqueRegistration();
        var doctor = await RegisterOkAsync(hip, Professional("No Etag", registration));

        using var response = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), hip, Professional("No Etag Two", registration));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "IF_MATCH_REQUIRED");
    }

    [Fact]
    public async Task GivenAProfessional_WhenUpdatedWithoutTokenByAWrongRoleOrByAnotherPartner_Then401_403_403NotProfessionalOwner()
    {
        var owner = await sandbox.TokenAsync(Roles.Hip);
        var registration = UniqueRegistration();
        var (doctor, etag) = await RegisterWithETagAsync(owner, Professional("Guarded Doc", registration));
        var change = Professional("Someone Else", registration);

        using var anonymous = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), null, change, etag);
        using var healthWorker = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), await sandbox.TokenAsync(Roles.HealthWorker), change, etag);
        using var otherPartner = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), await sandbox.TokenAsync(Roles.Hip), change, etag);

        await Problems.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        await Problems.AssertProblemAsync(healthWorker, HttpStatusCode.Forbidden, "FORBIDDEN");
        await Problems.AssertProblemAsync(otherPartner, HttpStatusCode.Forbidden, "NOT_PROFESSIONAL_OWNER");
        Assert.Equal("Guarded Doc", (await GetJsonAsync(sandbox, owner, Path(doctor))).GetProperty("name").GetString());
    }

    [Fact]
    public async Task GivenAVerifiedProfessional_WhenTheirPartnerChangesTheRegistrationNumber_ThenTheyNeedVerifyingAgain_AndTheOldNumberIsFree()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var (oldNumber, newNumber) = (UniqueRegistration(), UniqueRegistration());
        var doctor = await RegisterOkAsync(hip, Professional("Reverify Me", oldNumber));
        using var verify = await SendAsync(sandbox, HttpMethod.Post, Path(doctor) + "/verify", admin);
        var (_, verifiedETag) = await ReadOkAsync(verify);

        using var change = await SendAsync(sandbox, HttpMethod.Put, Path(doctor), hip, Professional("Reverify Me", newNumber), verifiedETag);
        var (changed, _) = await ReadOkAsync(change);
        Assert.False(changed.GetProperty("verified").GetBoolean());
        Assert.Equal(newNumber, changed.GetProperty("registrationNumber").GetString());

        using var reverify = await SendAsync(sandbox, HttpMethod.Post, Path(doctor) + "/verify", admin);
        Assert.True((await ReadOkAsync(reverify)).Body.GetProperty("verified").GetBoolean());
        using var taken = await RegisterAsync(hip, Professional("Number Thief", newNumber));
        await Problems.AssertProblemAsync(taken, HttpStatusCode.Conflict, "DUPLICATE_COUNCIL_REGISTRATION");
        await RegisterOkAsync(hip, Professional("Old Number Reuser", oldNumber));
    }

    [Fact]
    public async Task GivenAProfessional_WhenAnAdminDeactivatesThem_ThenReadsShowWhy_AndSearchesLeaveThemOut_UntilReactivated()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var language = "Konkani " + Guid.NewGuid().ToString("N")[..8];
        var staying = await RegisterOkAsync(hip, Professional("Staying Doc", UniqueRegistration(), languages: [language]));
        var leaving = await RegisterOkAsync(hip, Professional("Leaving Doc", UniqueRegistration(), languages: [language]));
        string Id(JsonElement e) => e.GetProperty("hprId").GetString()!;
        var byLanguage = "language=" + Uri.EscapeDataString(language);

        using var deactivate = await SendAsync(sandbox, HttpMethod.Post, Path(leaving) + "/deactivate", admin, new { reason = "Registration lapsed" });
        await ReadOkAsync(deactivate);

        var read = await GetJsonAsync(sandbox, hip, Path(leaving));
        Assert.Equal("deactivated", read.GetProperty("status").GetString());
        Assert.Equal("Registration lapsed", read.GetProperty("deactivationReason").GetString());
        Assert.True(read.TryGetProperty("deactivatedAt", out _));
        Assert.Equal([Id(staying)], await SearchAsync(hip, byLanguage));
        Assert.Equal([Id(leaving)], await SearchAsync(hip, byLanguage + "&status=deactivated"));
        Assert.Equal(new[] { Id(staying), Id(leaving) }.Order(), (await SearchAsync(hip, byLanguage + "&status=all")).Order());
        using var frozen = await SendAsync(sandbox, HttpMethod.Post, Path(leaving) + "/verify", admin);
        await Problems.AssertProblemAsync(frozen, HttpStatusCode.Conflict, "PROFESSIONAL_INACTIVE");

        using var reactivate = await SendAsync(sandbox, HttpMethod.Post, Path(leaving) + "/reactivate", admin);
        var (reactivated, _) = await ReadOkAsync(reactivate);
        Assert.Equal("active", reactivated.GetProperty("status").GetString());
        Assert.False(reactivated.TryGetProperty("deactivationReason", out _));
        Assert.Equal(new[] { Id(staying), Id(leaving) }.Order(), (await SearchAsync(hip, byLanguage)).Order());
    }

    [Fact]
    public async Task GivenAHipPartner_WhenItTriesToDeactivateOrReactivateAProfessional_Then403()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var doctor = await RegisterOkAsync(hip, Professional("Not Yours To Close", UniqueRegistration()));

        using var deactivate = await SendAsync(sandbox, HttpMethod.Post, Path(doctor) + "/deactivate", hip, new { reason = "mine" });
        using var reactivate = await SendAsync(sandbox, HttpMethod.Post, Path(doctor) + "/reactivate", hip);

        await Problems.AssertProblemAsync(deactivate, HttpStatusCode.Forbidden, "FORBIDDEN");
        await Problems.AssertProblemAsync(reactivate, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task GivenNoReason_WhenAnAdminDeactivatesAProfessional_Then400AndTheyStayActive()
    {
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var doctor = await RegisterOkAsync(admin, Professional("Reasonless", UniqueRegistration()));

        using var response = await SendAsync(sandbox, HttpMethod.Post, Path(doctor) + "/deactivate", admin, new { reason = " " });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_DEACTIVATION_REASON");
        Assert.Equal("active", (await GetJsonAsync(sandbox, admin, Path(doctor))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GivenPersonalDetails_WhenRegistered_ThenTheRegistrantAndAdminsSeeThem_ButOtherPartnersAndSearchesDoNot()
    {
        var registrant = await SandboxHostFixture.TokenForAsync(sandbox.Client, "hip-personal-" + Guid.NewGuid().ToString("N")[..6], Roles.Hip);
        var admin = await sandbox.TokenAsync(Roles.PlatformAdmin);
        var otherPartner = await sandbox.TokenAsync(Roles.Hiu);
        var name = "Personal " + Guid.NewGuid().ToString("N")[..8];
        var body = new
        {
            name, category = "nurse", council = "Kerala Nursing Council", registrationNumber = UniqueRegistration(),
            qualifications = new[] { "GNM" }, languages = new[] { "Malayalam" },
            personal = new { mobile = "9812345670", email = "nurse@example.in", dateOfBirth = "1990-06-01" },
        };

        var created = await RegisterOkAsync(registrant, body);
        var path = Path(created);
        var byRegistrant = await GetJsonAsync(sandbox, registrant, path);
        var byAdmin = await GetJsonAsync(sandbox, admin, path);
        var byOther = await GetJsonAsync(sandbox, otherPartner, path);
        var searched = (await GetJsonAsync(sandbox, otherPartner, "api/v1/professionals?name=" + Uri.EscapeDataString(name)))
            .GetProperty("professionals").EnumerateArray().Single();

        Assert.Equal("9812345670", created.GetProperty("personal").GetProperty("mobile").GetString());
        Assert.Equal("nurse@example.in", byRegistrant.GetProperty("personal").GetProperty("email").GetString());
        Assert.Equal("1990-06-01", byAdmin.GetProperty("personal").GetProperty("dateOfBirth").GetString());
        Assert.False(byOther.TryGetProperty("personal", out _));
        Assert.False(searched.TryGetProperty("personal", out _));
    }

    [Fact]
    public async Task GivenAnInvalidMobile_WhenRegistered_Then400InvalidPersonalDetails()
    {
        var hip = await sandbox.TokenAsync(Roles.Hip);
        var body = new
        {
            name = "Bad Mobile", category = "nurse", council = "Kerala Nursing Council", registrationNumber = UniqueRegistration(),
            qualifications = new[] { "GNM" }, languages = new[] { "Malayalam" }, personal = new { mobile = "12" },
        };

        using var response = await RegisterAsync(hip, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("INVALID_PERSONAL_DETAILS", await response.Content.ReadAsStringAsync());
    }
}
