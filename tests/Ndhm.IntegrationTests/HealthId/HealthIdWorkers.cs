using System.Net;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>Health worker tokens: of a facility a platform admin registered (so verified), or of none.</summary>
public static class HealthIdWorkers
{
    /// <summary>A health worker whose token names a verified facility (the <c>facilityId</c> claim).</summary>
    public static async Task<string> OfVerifiedFacilityAsync(HttpClient client)
    {
        var admin = await SandboxHostFixture.TokenForAsync(client, "admin-" + Guid.NewGuid().ToString("N")[..6], Roles.PlatformAdmin);
        using var response = await PostAsync(client, "v1/facilities", new
        {
            facilityName = "Primary Health Centre " + Guid.NewGuid().ToString("N")[..6],
            facilityType = "Hospital",
            ownership = "Government",
            systemsOfMedicine = new[] { "Modern Medicine" },
            address = new { addressLine = "1 Main Road", city = "Town", district = "Pune", stateCode = "27", pincode = "411001" },
            geoLocation = new { latitude = 18.52, longitude = 73.85 },
            contact = new { phone = "+91 20 1234 5678", email = "phc@example.org" },
        }, admin);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"expected 201, got {(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("verified").GetBoolean());
        return await TokenAsync(client, JsonDocument.Parse(body).RootElement.GetProperty("facilityId").GetString());
    }

    /// <summary>A health worker token with <paramref name="facilityId"/> as its claim (none when null).</summary>
    public static async Task<string> TokenAsync(HttpClient client, string? facilityId)
    {
        var json = await OkJsonAsync(await PostAsync(client, "sandbox/tokens", new
        {
            subject = "worker-" + Guid.NewGuid().ToString("N")[..6],
            roles = new[] { Roles.HealthWorker },
            facilityId,
        }));
        return json.GetProperty("accessToken").GetString()!;
    }
}
