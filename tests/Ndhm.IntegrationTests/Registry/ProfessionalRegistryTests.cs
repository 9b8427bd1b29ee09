using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.Registry.RegistryApi;

namespace Ndhm.IntegrationTests.Registry;

public sealed class ProfessionalRegistryTests(SandboxHostFixture sandbox) : IClassFixture<SandboxHostFixture>
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
}
