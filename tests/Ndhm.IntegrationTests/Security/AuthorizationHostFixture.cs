using System.Net;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Security;

/// <summary>
/// One host and the callers the authorization table needs, made once: a real partner session per partner role
/// (the HIP serving a verified facility), a platform admin, three enrolled patients (A and B for the cross-patient
/// rows, C for the generic rows), and another tenant's facility, professional, delivery and partner record.
/// </summary>
public sealed class AuthorizationHostFixture : HealthIdHostFixture
{
    /// <summary>Roles a partner may hold: every role column but PATIENT and PLATFORM_ADMIN.</summary>
    private static readonly string[] PartnerRoles =
        [Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics];

    private readonly Dictionary<string, string> tokens = [];

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Gateway__SecretHashIterations"] = "1000",
        ["Gateway__CallbackMaxAttempts"] = "1",
    };

    public string AdminToken { get; private set; } = "";

    public Patient PatientA { get; private set; } = null!;

    public Patient PatientB { get; private set; } = null!;

    public Patient PatientC { get; private set; } = null!;

    /// <summary>A facility and professional the HIP column's partner owns, and ones another HIP owns.</summary>
    public (string Id, string ETag) OwnFacility { get; private set; }

    public (string Id, string ETag) OtherHipFacility { get; private set; }

    public (string Id, string ETag) OtherHipProfessional { get; private set; }

    /// <summary>Another partner (an HIU) and a delivery it owns.</summary>
    public string OtherPartnerClientId { get; private set; } = "";

    public string OtherPartnerDeliveryId { get; private set; } = "";

    public sealed record Patient(string Token, string AbhaNumber);

    /// <summary>The token a column's caller presents in the generic rows (null: anonymous).</summary>
    public string? TokenFor(string column) => column == AuthorizationTable.Anonymous ? null : tokens[column];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        AdminToken = await SandboxHostFixture.TokenForAsync(Client, "authz-admin-" + Guid.NewGuid().ToString("N")[..8], Roles.PlatformAdmin);
        tokens[Roles.PlatformAdmin] = AdminToken;
        var gateway = Gateway;

        var enrolments = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ => await EnrolAsync(Client, NextIdentity())));
        (PatientA, PatientB, PatientC) = (ToPatient(enrolments[0]), ToPatient(enrolments[1]), ToPatient(enrolments[2]));
        tokens[Roles.Patient] = PatientC.Token;

        var (verifiedFacility, _) = await gateway.RegisterFacilityAsync();
        await Task.WhenAll(PartnerRoles.Select(async role =>
        {
            var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", [role], role == Roles.Hip ? [verifiedFacility] : []);
            var session = await gateway.SessionTokenAsync(clientId, secret);
            lock (tokens)
            {
                tokens[role] = session;
            }
        }));

        OwnFacility = await RegisterFacilityAsAsync(tokens[Roles.Hip]);
        var otherHip = await SandboxHostFixture.TokenForAsync(Client, "other-hip-" + Guid.NewGuid().ToString("N")[..8], Roles.Hip);
        OtherHipFacility = await RegisterFacilityAsAsync(otherHip);
        OtherHipProfessional = await RegisterProfessionalAsAsync(otherHip);

        var (otherClientId, otherSecret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Hiu], []);
        OtherPartnerClientId = otherClientId;
        var otherSession = await gateway.SessionTokenAsync(otherClientId, otherSecret);
        using (var heartbeat = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", otherSession, new { message = "other tenant" },
                   Guid.NewGuid().ToString(), DateTimeOffset.UtcNow))
        using (var accepted = await Client.SendAsync(heartbeat))
        {
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        }

        var delivery = await gateway.WaitForDeliveryAsync(otherSession, _ => true, TimeSpan.FromSeconds(30));
        OtherPartnerDeliveryId = delivery.GetProperty("id").GetString()!;
    }

    private GatewayHostFixture Gateway => GatewayHostFixture.Over(Host);

    private static Patient ToPatient(JsonElement enrolment) => new(Token(enrolment), Number(enrolment));

    private async Task<(string Id, string ETag)> RegisterFacilityAsAsync(string token)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/facilities", token,
            Registry.RegistryApi.Facility("Authz Hospital", Registry.RegistryApi.UniqueDistrict()));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return (JsonDocument.Parse(body).RootElement.GetProperty("facilityId").GetString()!, response.Headers.ETag!.ToString());
    }

    private async Task<(string Id, string ETag)> RegisterProfessionalAsAsync(string token)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/professionals", token, Professional("Dr Authz Other"));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return (JsonDocument.Parse(body).RootElement.GetProperty("hprId").GetString()!, response.Headers.ETag!.ToString());
    }

    public static object Professional(string name) => new
    {
        name,
        category = "doctor",
        council = "Telangana State Medical Council",
        registrationNumber = "REG-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(),
        qualifications = new[] { "MBBS" },
        specialties = new[] { "Cardiology" },
        languages = new[] { "English" },
        facilityIds = Array.Empty<string>(),
    };
}
