using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

public enum PartnerKind
{
    Hip,
    Hiu,

    /// <summary>A teleconsultation provider (a UHI HSPA-style clinic): its doctors act with their own tokens, it sends no ABDM messages.</summary>
    Provider,
}

/// <summary>
/// One sample partner: who it is (name in the bridge path, client id, roles, facility), its credentials and
/// session, and the calls it makes to the platform. Everything it sends is recorded in the inbox as <c>sent</c>.
/// </summary>
public sealed class SamplePartner(string name, string displayName, PartnerKind kind, string facilityType, IReadOnlyList<string> roles,
    SamplePartnerSettings settings, PlatformClient platform, Inbox inbox)
{
    private readonly SemaphoreSlim sessionLock = new(1, 1);
    private string? token;
    private DateTimeOffset tokenExpiresAt;

    /// <summary>The path segment of its bridge (<c>hospital</c>, <c>lab</c>, <c>clinic</c>, <c>pharmacy</c>).</summary>
    public string Name { get; } = name;

    public string DisplayName { get; } = displayName;

    public PartnerKind Kind { get; } = kind;

    public string FacilityType { get; } = facilityType;

    public IReadOnlyList<string> Roles { get; } = roles;

    public string ClientId { get; } = settings.ClientPrefix + name;

    /// <summary>How this partner's bridge is deliberately broken (<see cref="SamplePartnerSettings.BrokenBridge"/>), or null.</summary>
    public string? BrokenBridge { get; } = settings.BrokenBridge;

    public string BridgeUrl { get; } = new Uri(settings.PublicBaseUrl, name).ToString();

    /// <summary>For a HIP: entries with encrypted content above this go as links (<see cref="SamplePartnerSettings.LinkAboveBytes"/>).</summary>
    public long? LinkAboveBytes { get; } = settings.LinkAboveBytes;

    /// <summary>It serves on this machine (a sandbox): as a HIU it fetches link entries from loopback (the sample HIPs' http bridges).</summary>
    public bool OnLoopback { get; } = settings.PublicBaseUrl.IsLoopback;

    /// <summary>The verified facility it serves (HFR id), known after registration.</summary>
    public string FacilityId { get; set; } = "";

    /// <summary>For a HIU: the verified doctor of its facility who signs its consent requests (HPR id).</summary>
    public string? RequesterHprId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>For the teleconsultation provider: its verified doctors, known after registration.</summary>
    public IReadOnlyList<object>? Doctors { get; set; }

    /// <summary>The headers naming the facility it acts as.</summary>
    public IReadOnlyDictionary<string, string> PartyHeaders => Kind == PartnerKind.Hip
        ? new Dictionary<string, string> { ["X-HIP-ID"] = FacilityId }
        : new Dictionary<string, string> { ["X-HIU-ID"] = FacilityId };

    /// <summary>A session token, opened (or reopened a minute before it runs out) with the partner's client credentials.</summary>
    public async Task<string> TokenAsync(CancellationToken ct)
    {
        await sessionLock.WaitAsync(ct);
        try
        {
            if (token is not null && DateTimeOffset.UtcNow < tokenExpiresAt - TimeSpan.FromMinutes(1)) return token;
            var session = (await platform.SendAsync(HttpMethod.Post, "api/v1/sessions", null,
                new { clientId = ClientId, clientSecret = ClientSecret, grantType = "client_credentials" }, ct: ct)).EnsureOk($"{ClientId} session").Json;
            token = session.GetProperty("accessToken").GetString()!;
            tokenExpiresAt = DateTimeOffset.UtcNow.AddSeconds(session.GetProperty("expiresIn").GetInt32());
            return token;
        }
        finally
        {
            sessionLock.Release();
        }
    }

    /// <summary>Sends an ABDM message to the platform as this partner (a fresh requestId unless given).</summary>
    public async Task<PlatformAnswer> SendAsync(string path, JsonObject body, CancellationToken ct, string? requestId = null)
    {
        requestId ??= Guid.NewGuid().ToString();
        var message = PlatformClient.Envelope(requestId, body);
        var answer = await platform.AbdmAsync(path, await TokenAsync(ct), message, PartyHeaders, ct);
        inbox.RecordSent(Name, path, requestId, message, answer);
        return answer;
    }

    /// <summary>A plain (non-ABDM) platform API call with the partner's session.</summary>
    public async Task<PlatformAnswer> PlatformAsync(HttpMethod method, string path, object? body, CancellationToken ct) =>
        await platform.SendAsync(method, path, await TokenAsync(ct), body, ct: ct);

    public object Describe() => new
    {
        name = Name,
        displayName = DisplayName,
        clientId = ClientId,
        roles = Roles,
        facilityId = FacilityId,
        bridgeUrl = BridgeUrl,
        requesterHprId = RequesterHprId,
        doctors = Doctors,
    };
}
