using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Consent;
using Ndhm.Core.Keys;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Consents;

/// <summary>
/// The consent manager over HTTP, the ABDM way: a HIU partner requests consent (consent-requests/init), the patient
/// decides through their own API, and the partners' sample bridges receive what an ABDM HIU and HIP would. Tests are
/// named after ABDM's sandbox-exit certification cases they cover.
/// </summary>
public sealed class ConsentFlowTests(ConsentHostFixture sandbox) : IClassFixture<ConsentHostFixture>
{
    [Fact]
    [Trait("Certification", "HIP_INIT_GRANT_CONSENT")]
    [Trait("Certification", "HIU_FLOW_101")]
    public async Task HIP_INIT_GRANT_CONSENT_GivenARequest_WhenThePatientGrants_ThenTheHiuAndHipAreNotifiedWithAnArtefactThatVerifiesOffline()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();

        var pending = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/consent-requests?status=REQUESTED");
        var granted = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant");

        Assert.Contains(pending.GetProperty("consentRequests").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("GRANTED", granted.GetProperty("status").GetString());
        var artefactId = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        var hiu = await world.HiuNotificationAsync(id, "GRANTED");
        Assert.Equal(artefactId, hiu.GetProperty("notification").GetProperty("consentArtefacts")[0].GetProperty("id").GetString());
        var hip = (await world.HipNotificationAsync(artefactId, "GRANTED")).GetProperty("notification");
        Assert.Equal(world.Hip, hip.GetProperty("consentDetail").GetProperty("hip").GetProperty("id").GetString());
        Assert.Equal(world.PatientAddress, hip.GetProperty("consentDetail").GetProperty("patient").GetProperty("id").GetString());
        Assert.Equal(2, hip.GetProperty("consentDetail").GetProperty("careContexts").GetArrayLength());

        var inbox = await sandbox.Client.GetFromJsonAsync<JsonElement>("api/sandbox/bridges/hip/received");
        var headers = inbox.GetProperty("received").EnumerateArray()
            .Single(m => m.GetProperty("body").GetString()!.Contains(artefactId, StringComparison.Ordinal)
                         && m.GetProperty("path").GetString() == "/v0.5/consents/hip/notify").GetProperty("headers");
        Assert.Equal(("sbx", world.Hip), (headers.GetProperty("X-CM-ID").GetString(), headers.GetProperty("X-HIP-ID").GetString()));

        var jwks = await sandbox.Client.GetFromJsonAsync<JsonElement>("api/.well-known/jwks.json");
        var keys = jwks.GetProperty("keys").Deserialize<List<PublicJsonWebKey>>(Ndhm.Core.Json.NdhmJson.Options)!;
        var payload = ConsentSignatures.Verify(hip.GetProperty("signature").GetString()!, keys);
        Assert.NotNull(payload);
        Assert.Equal(artefactId, payload!.Value.GetProperty("consentId").GetString());
    }

    [Fact]
    public async Task GivenAV05ClientSendingRequestIdAndTimestampOnlyInTheBody_WhenItRequestsConsent_Then202AndOnInitAnswersThatRequestId()
    {
        var world = await sandbox.WorldAsync();
        var requestId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v0.5/consent-requests/init")
        {
            Content = JsonContent.Create(new
            {
                requestId,
                timestamp = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                consent = world.Consent(),
            }),
        };
        request.Headers.Authorization = new("Bearer", world.HiuToken);
        request.Headers.TryAddWithoutValidation("X-CM-ID", "sbx");

        using var response = await sandbox.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var onInit = await world.CallbackAsync("hiu", "/v0.5/consent-requests/on-init", b => ConsentWorld.Resp(b) == requestId);
        Assert.True(Guid.TryParse(onInit.GetProperty("consentRequest").GetProperty("id").GetString(), out _));
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_102")]
    public async Task HIU_FLOW_102_GivenAGrant_WhenTheHiuAsksTheStatusAndFetchesTheArtefact_ThenItGetsThemAndTheHipDoesToo()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();
        var artefactId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant"))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;

        var (status, statusRequest) = await world.AbdmAsync("v0.5/consent-requests/status", world.HiuToken, new() { ["consentRequestId"] = id });
        var (hiuFetch, hiuFetchRequest) = await world.AbdmAsync("v0.5/consents/fetch", world.HiuToken, new() { ["consentId"] = artefactId });
        var (hipFetch, hipFetchRequest) = await world.AbdmAsync("v0.5/consents/fetch", world.HipToken, new() { ["consentId"] = artefactId });

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted], new[] { status.StatusCode, hiuFetch.StatusCode, hipFetch.StatusCode });
        Assert.Equal("", await status.Content.ReadAsStringAsync());
        var onStatus = await world.CallbackAsync("hiu", "/v0.5/consent-requests/on-status", b => ConsentWorld.Resp(b) == statusRequest);
        Assert.Equal("GRANTED", onStatus.GetProperty("consentRequest").GetProperty("status").GetString());
        Assert.Equal(artefactId, onStatus.GetProperty("consentRequest").GetProperty("consentArtefacts")[0].GetProperty("id").GetString());
        foreach (var (bridge, request) in new[] { ("hiu", hiuFetchRequest), ("hip", hipFetchRequest) })
        {
            var onFetch = await world.CallbackAsync(bridge, "/v0.5/consents/on-fetch", b => ConsentWorld.Resp(b) == request);
            Assert.Equal("GRANTED", onFetch.GetProperty("consent").GetProperty("status").GetString());
            Assert.Equal(artefactId, onFetch.GetProperty("consent").GetProperty("consentDetail").GetProperty("consentId").GetString());
        }
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_104")]
    public async Task HIU_FLOW_104_GivenThreeRequestsOfOneHiu_WhenItAsksTheStatusOfEach_ThenItSeesGrantedDeniedAndRequestedAndAnotherHiuSeesNone()
    {
        var world = await sandbox.WorldAsync();
        var granted = await world.RequestConsentAsync();
        var denied = await world.RequestConsentAsync();
        var pending = await world.RequestConsentAsync();
        await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{granted}/grant");
        await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{denied}/deny", new { reason = "not now" });
        var (_, otherHiuToken, _) = await sandbox.OtherPartnerAsync(Roles.Hiu);

        var seen = new Dictionary<string, JsonElement>();
        foreach (var id in new[] { granted, denied, pending })
        {
            var (response, requestId) = await world.AbdmAsync("v0.5/consent-requests/status", world.HiuToken, new() { ["consentRequestId"] = id });
            using (response) Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            seen[id] = (await world.CallbackAsync("hiu", "/v0.5/consent-requests/on-status", b => ConsentWorld.Resp(b) == requestId)).GetProperty("consentRequest");
        }

        var (other, otherRequest) = await world.AbdmAsync("v0.5/consent-requests/status", otherHiuToken, new() { ["consentRequestId"] = granted });
        using (other) Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        var otherAnswer = await world.CallbackAsync("hiu", "/v0.5/consent-requests/on-status", b => ConsentWorld.Resp(b) == otherRequest);
        Assert.Equal(("GRANTED", 1), (seen[granted].GetProperty("status").GetString(), seen[granted].GetProperty("consentArtefacts").GetArrayLength()));
        Assert.Equal(("DENIED", 0), (seen[denied].GetProperty("status").GetString(), seen[denied].GetProperty("consentArtefacts").GetArrayLength()));
        Assert.Equal(("REQUESTED", 0), (seen[pending].GetProperty("status").GetString(), seen[pending].GetProperty("consentArtefacts").GetArrayLength()));
        Assert.All(seen, s => Assert.Equal(s.Key, s.Value.GetProperty("id").GetString()));
        Assert.True(otherAnswer.TryGetProperty("error", out _), otherAnswer.ToString());
        Assert.False(otherAnswer.TryGetProperty("consentRequest", out var leaked) && leaked.ValueKind == JsonValueKind.Object, otherAnswer.ToString());
    }

    [Fact]
    [Trait("Certification", "HIP_INIT_REVOKE_CONSENT")]
    [Trait("Certification", "HIU_FLOW_202")]
    public async Task HIP_INIT_REVOKE_CONSENT_GivenAGrant_WhenThePatientRevokes_ThenTheHiuAndHipAreToldAndAFetchShowsRevoked()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();
        var artefactId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant"))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;

        var revoked = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consents/{artefactId}/revoke");

        Assert.Equal("REVOKED", revoked.GetProperty("status").GetString());
        Assert.Equal(artefactId, (await world.HiuNotificationAsync(id, "REVOKED")).GetProperty("notification").GetProperty("consentArtefacts")[0].GetProperty("id").GetString());
        await world.HipNotificationAsync(artefactId, "REVOKED");
        var (_, fetch) = await world.AbdmAsync("v0.5/consents/fetch", world.HipToken, new() { ["consentId"] = artefactId });
        var onFetch = await world.CallbackAsync("hip", "/v0.5/consents/on-fetch", b => ConsentWorld.Resp(b) == fetch);
        Assert.Equal("REVOKED", onFetch.GetProperty("consent").GetProperty("status").GetString());
        var again = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consents/{artefactId}/revoke", expected: HttpStatusCode.Conflict);
        Assert.Equal(ConsentErrors.ConsentNotGranted, again.GetProperty("code").GetString());
    }

    [Fact]
    [Trait("Certification", "HIP_INIT_EXPIRE_CONSENT")]
    [Trait("Certification", "HIU_FLOW_301")]
    public async Task HIP_INIT_EXPIRE_CONSENT_GivenAGrantWhoseDataEraseAtPasses_WhenTheSweepRuns_ThenExpiredAndBothPartnersAreTold()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync(world.Consent(eraseAt: DateTimeOffset.UtcNow.AddSeconds(6)));
        var artefactId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant"))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;

        await Task.Delay(TimeSpan.FromSeconds(7));
        await world.AdminSweepAsync();

        await world.HiuNotificationAsync(id, "EXPIRED");
        await world.HipNotificationAsync(artefactId, "EXPIRED");
        var listed = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/consents?status=EXPIRED");
        Assert.Contains(listed.GetProperty("consents").EnumerateArray(), c => c.GetProperty("id").GetString() == artefactId);
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_103")]
    public async Task HIU_FLOW_103_GivenARequest_WhenThePatientDenies_ThenTheHiuIsToldDeniedAndNoHipHearsOfIt()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();

        var denied = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/deny", new { reason = "not now" });

        Assert.Equal("DENIED", denied.GetProperty("status").GetString());
        var notification = (await world.HiuNotificationAsync(id, "DENIED")).GetProperty("notification");
        Assert.Equal(0, notification.GetProperty("consentArtefacts").GetArrayLength());
        var grant = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant", expected: HttpStatusCode.Conflict);
        Assert.Equal(ConsentErrors.ConsentNotPending, grant.GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenAGrantThatWidensTheRequest_WhenSent_Then400NamingTheFieldAndTheRequestStillAwaitsADecision()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();

        var wider = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant",
            new { hiTypes = new[] { "OPConsultation", "DischargeSummary" } }, HttpStatusCode.BadRequest);
        var otherHip = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant",
            new { hips = new[] { new { id = world.OtherHip } } }, HttpStatusCode.BadRequest);

        Assert.Equal((ConsentErrors.GrantWidens, "hiTypes"), (wider.GetProperty("code").GetString(), wider.GetProperty("field").GetString()));
        Assert.Equal((ConsentErrors.GrantWidens, "hips[0].id"), (otherHip.GetProperty("code").GetString(), otherHip.GetProperty("field").GetString()));
        var pending = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/consent-requests?status=REQUESTED");
        Assert.Contains(pending.GetProperty("consentRequests").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Empty(await world.HiuNotificationsAsync(id));
    }

    [Fact]
    public async Task GivenAGrantThatNarrows_WhenGranted_ThenTheHipIsToldOnlyWhatWasGranted()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();

        var granted = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant", new
        {
            hips = new[] { new { id = world.Hip, careContexts = new[] { new { patientReference = "PUID-1", careContextReference = "LAB-2" } } } },
            hiTypes = new[] { "Prescription" },
        });

        var artefactId = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        var detail = (await world.HipNotificationAsync(artefactId, "GRANTED")).GetProperty("notification").GetProperty("consentDetail");
        Assert.Equal("LAB-2", Assert.Single(detail.GetProperty("careContexts").EnumerateArray()).GetProperty("careContextReference").GetString());
        Assert.Equal("Prescription", Assert.Single(detail.GetProperty("hiTypes").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task GivenAHipPartnerThatLinkedWithoutNamingItsFacility_WhenThePatientListsLinks_ThenTheyAreUnderTheFacilityConsentsName()
    {
        var world = await sandbox.WorldAsync();

        var hips = (await world.PatientAsync(HttpMethod.Get, "v1/patients/me/links")).GetProperty("hips");

        var at = Assert.Single(hips.EnumerateArray());
        Assert.Equal(world.Hip, at.GetProperty("hipId").GetString());
        Assert.Equal(ConsentHostFixture.LinkedCareContexts, at.GetProperty("careContexts").EnumerateArray().Select(c => c.GetProperty("referenceNumber").GetString()).ToArray());
    }

    [Fact]
    public async Task GivenACareContextNotLinkedAtThatHip_WhenThePatientGrants_Then400CareContextNotLinked_AndNothingChanges()
    {
        var world = await sandbox.WorldAsync(link: false);
        var id = await world.RequestConsentAsync();

        var refused = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant", expected: HttpStatusCode.BadRequest);

        Assert.Equal((ConsentErrors.CareContextNotLinked, "hips[0].careContexts[0]"), (refused.GetProperty("code").GetString(), refused.GetProperty("field").GetString()));
        var pending = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/consent-requests?status=REQUESTED");
        Assert.Contains(pending.GetProperty("consentRequests").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Empty(await world.HiuNotificationsAsync(id));
    }
}
