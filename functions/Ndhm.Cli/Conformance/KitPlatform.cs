using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Cli.Story;

namespace Ndhm.Cli.Conformance;

/// <summary>A partner the kit registered for itself: its client id, session token and facility.</summary>
public sealed record KitPartner(string ClientId, string Token, string Facility);

/// <summary>
/// What both conformance kits (<see cref="HipConformance"/>, <see cref="HiuConformance"/>) do on the platform: open the
/// partner's own session, register the kit's counter-party on a sandbox recording bridge, send ABDM messages as it, read
/// what that bridge received, and tell how the platform's messages to the partner's bridge fared (its deliveries,
/// <c>GET /api/v1/deliveries</c> with the partner's own session).
/// </summary>
public sealed class KitPlatform(StoryClient http, TimeSpan wait)
{
    public const string Timestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // Deliveries carry no body, only their path and time: one already counted for a case (a GRANTED notification)
    // must not pass a later case at the same path (the REVOKED one) that came close behind it.
    private readonly HashSet<string> counted = new(StringComparer.Ordinal);

    /// <summary>The sandbox operator's PLATFORM_ADMIN token (registers the kit's partners, reads a partner's record).</summary>
    public string Admin { get; private set; } = "";

    /// <summary>The session of the partner under test.</summary>
    public string PartnerToken { get; private set; } = "";

    public static string Now() => DateTime.UtcNow.ToString(Timestamp, CultureInfo.InvariantCulture);

    /// <summary>
    /// Opens the partner's session with its own credentials and checks, as the admin, that it has <paramref name="role"/>
    /// and serves a facility: that facility and its bridge URL.
    /// </summary>
    public async Task<(string Facility, string? Bridge)> OpenPartnerSessionAsync(string clientId, string clientSecret, string role)
    {
        var session = await http.CallAsync(HttpMethod.Post, "api/v1/sessions", null,
            new { clientId, clientSecret, grantType = "client_credentials" }, HttpStatusCode.OK);
        PartnerToken = session.Str("accessToken");
        Admin = (await http.CallAsync(HttpMethod.Post, "api/sandbox/tokens", null, new { subject = "conformance-kit", roles = new[] { "PLATFORM_ADMIN" } })).Str("accessToken");
        var partner = await http.CallAsync(HttpMethod.Get, $"api/v1/partners/{Uri.EscapeDataString(clientId)}", Admin);
        if (!partner.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == role)) throw new StoryException($"{clientId} does not have the {role} role");
        var facility = partner.GetProperty("facilities").EnumerateArray().Select(f => f.GetString()).FirstOrDefault()
                       ?? throw new StoryException($"{clientId} serves no facility");
        return (facility, partner.StrOrNull("bridgeUrl"));
    }

    /// <summary>The URL of a sandbox recording bridge (<c>hip</c>, <c>hiu</c>) as the platform calls it (loopback by name).</summary>
    public string BridgeUrl(string bridge, string path = "") =>
        new Uri(http.Platform.BaseAddress!, $"api/sandbox/bridges/{bridge}{path}").ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    /// <summary>The kit's own counter-party: a facility, a partner with <paramref name="role"/> on the recording bridge <paramref name="bridge"/>, its session.</summary>
    public async Task<KitPartner> RegisterAsync(string role, string bridge, string run, string facilityName, string facilityType)
    {
        var facility = (await http.CallAsync(HttpMethod.Post, "api/v1/facilities", Admin, new
        {
            facilityName = facilityName + " " + run, facilityType, ownership = "Private", systemsOfMedicine = new[] { "Modern Medicine" },
            address = new { addressLine = "1 Kit Road", district = "Pune", stateCode = "27", pincode = "411005" },
            geoLocation = new { latitude = 18.53, longitude = 73.84 }, contact = new { phone = "+91 20 1234 5678" },
        })).Str("facilityId");
        var clientId = $"conformance-{role.ToLowerInvariant()}-{run}";
        var secret = (await http.CallAsync(HttpMethod.Post, "api/v1/partners", Admin, new
        {
            clientId, name = $"Conformance kit {role} {run}", roles = new[] { role }, bridgeUrl = BridgeUrl(bridge), facilities = new[] { facility },
        })).Str("clientSecret");
        var token = (await http.CallAsync(HttpMethod.Post, "api/v1/sessions", null,
            new { clientId, clientSecret = secret, grantType = "client_credentials" }, HttpStatusCode.OK)).Str("accessToken");
        return new KitPartner(clientId, token, facility);
    }

    /// <summary>An ABDM v0.5 message from one of the kit's partners (requestId and timestamp in the body, the party headers).</summary>
    public async Task AbdmAsync(string path, string requestId, JsonObject body, string token, IReadOnlyDictionary<string, string> party)
    {
        var message = new JsonObject { ["requestId"] = requestId, ["timestamp"] = Now() };
        foreach (var (name, value) in body) message[name] = value?.DeepClone();
        var headers = new Dictionary<string, string>(party) { ["X-CM-ID"] = "sbx" };
        var (status, answer) = await StoryClient.RawAsync(http.Platform, HttpMethod.Post, "api" + path, token, message.ToJsonString(), headers);
        if ((int)status is < 200 or >= 300)
            throw new StoryException($"kit {path}: {(int)status} {StoryClient.ShortBody(answer)}");
    }

    /// <summary>The first message at <paramref name="path"/> the recording bridge received whose body matches, or null once the wait is over.</summary>
    public async Task<JsonElement?> ReceivedAsync(string bridge, string path, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var received = await http.CallAsync(HttpMethod.Get, $"api/sandbox/bridges/{bridge}/received");
            var found = received.GetProperty("received").EnumerateArray().Where(m => m.StrOrNull("path") == path)
                .Select(m => JsonDocument.Parse(m.Str("body")).RootElement.Clone())
                .Cast<JsonElement?>()
                .FirstOrDefault(b => match(b!.Value));
            if (found is not null || DateTime.UtcNow > deadline) return found;
            await Task.Delay(250);
        }
    }

    /// <summary>The platform's answer (a callback carrying <c>resp.requestId</c>) to the kit's message <paramref name="requestId"/>.</summary>
    public async Task<JsonElement> AnswerAsync(string bridge, string path, string requestId) =>
        await ReceivedAsync(bridge, path, b => b.TryGetProperty("resp", out var resp) && resp.StrOrNull("requestId") == requestId)
        ?? throw new StoryException($"the platform's {path} to the kit: not received within {wait.TotalSeconds:0} s");

    /// <summary>
    /// The platform's newest <paramref name="path"/> to the partner under test since <paramref name="since"/> was accepted
    /// by its bridge (2xx); a reason otherwise. Deliveries carry no body, so the time (and not having been counted
    /// for an earlier case) tells them apart.
    /// </summary>
    public async Task<string> DeliveredAsync(string path, DateTimeOffset since, string who)
    {
        JsonElement? match = null;
        string Status() => (match?.StrOrNull("status") ?? "").ToLowerInvariant();
        try
        {
            await StoryClient.UntilAsync($"{path} delivered to the {who}'s bridge", async () =>
            {
                var list = await http.CallAsync(HttpMethod.Get, "api/v1/deliveries", PartnerToken);
                match = list.GetProperty("deliveries").EnumerateArray()
                    .Where(d => d.StrOrNull("path") == path && d.GetProperty("createdAt").GetDateTimeOffset() >= since.AddSeconds(-2)
                                && !counted.Contains(d.StrOrNull("id") ?? ""))
                    .Cast<JsonElement?>().FirstOrDefault();
                return list;
            }, _ => Status() is "delivered" or "deadlettered", wait);
        }
        catch (StoryException)
        {
            throw new StoryException($"the platform's {path} was not accepted by the {who}'s bridge within {wait.TotalSeconds:0} s: "
                                     + (match is { } m ? StoryClient.Shorten(m.GetRawText()) : "no such delivery"));
        }

        if (Status() != "delivered") throw new StoryException($"the {who}'s bridge did not accept {path}: {StoryClient.Shorten(match!.Value.GetRawText())}");
        counted.Add(match!.Value.StrOrNull("id") ?? "");
        return $"{path} accepted by the {who}'s bridge";
    }

    /// <summary>Whether the platform's last <paramref name="path"/> reached the partner's bridge: for telling a silent partner from an unreached one.</summary>
    public async Task<string> DeliveryNoteAsync(string path, DateTimeOffset? since = null)
    {
        try
        {
            var list = await http.CallAsync(HttpMethod.Get, "api/v1/deliveries", PartnerToken);
            var last = list.GetProperty("deliveries").EnumerateArray()
                .FirstOrDefault(d => d.StrOrNull("path") == path && (since is null || d.GetProperty("createdAt").GetDateTimeOffset() >= since.Value.AddSeconds(-2)));
            return last.ValueKind == JsonValueKind.Object
                ? $"the platform's {path} reached the bridge ({last.StrOrNull("status")}), so the partner's answer is what is missing or malformed"
                : $"the platform has no record of sending {path} to this partner";
        }
        catch (StoryException e)
        {
            return "(deliveries unreadable: " + e.Message + ")";
        }
    }
}
