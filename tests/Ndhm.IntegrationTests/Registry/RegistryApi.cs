using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Registry;

/// <summary>Helpers shared by the registry tests: request bodies with unique data and typed calls.</summary>
internal static class RegistryApi
{
    /// <summary>A district name no other test uses, so searches filtered by it see only this test's facilities.</summary>
    public static string UniqueDistrict() => "District " + Guid.NewGuid().ToString("N")[..10];

    public static object Facility(string name, string district, double lat = 17.385, double lon = 78.4867, string type = "Hospital",
        string ownership = "Private", string stateCode = "28", string pincode = "520001") => new
    {
        facilityName = name,
        facilityType = type,
        ownership,
        systemsOfMedicine = new[] { "Modern Medicine" },
        address = new { addressLine = "1 Main Road", city = "Town", district, stateCode, pincode },
        geoLocation = new { latitude = lat, longitude = lon },
        contact = new { phone = "+91 40 1234 5678", email = "desk@example.org" },
    };

    public static async Task<(JsonElement Body, string ETag)> RegisterFacilityAsync(SandboxHostFixture sandbox, string token, object body)
    {
        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Post, "api/v1/facilities", token, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag!.ToString());
    }

    /// <summary>Sends a request, with <paramref name="ifMatch"/> (an ETag as the server sent it) when given.</summary>
    public static async Task<HttpResponseMessage> SendAsync(SandboxHostFixture sandbox, HttpMethod method, string path, string? token,
        object? body = null, string? ifMatch = null)
    {
        using var request = sandbox.Request(method, path, token, body);
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await sandbox.Client.SendAsync(request);
    }

    /// <summary>The response's JSON body and ETag, asserting it has <paramref name="status"/>.</summary>
    public static async Task<(JsonElement Body, string ETag)> ReadOkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag!.ToString());
    }

    public static async Task<JsonElement> GetJsonAsync(SandboxHostFixture sandbox, string token, string path)
    {
        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, path, token));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<List<string>> SearchFacilityIdsAsync(SandboxHostFixture sandbox, string token, string query)
    {
        var body = await GetJsonAsync(sandbox, token, "api/v1/facilities?" + query);
        return body.GetProperty("facilities").EnumerateArray().Select(f => f.GetProperty("facilityId").GetString()!).ToList();
    }
}
