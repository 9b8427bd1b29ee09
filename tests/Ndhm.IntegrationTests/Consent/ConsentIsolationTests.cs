using System.Net;
using System.Text.Json;
using Ndhm.Consent;
using Ndhm.Core.Security;

namespace Ndhm.IntegrationTests.Consents;

/// <summary>Races, partner isolation, acknowledgements and bad input, over HTTP.</summary>
public sealed class ConsentIsolationTests(ConsentHostFixture sandbox) : IClassFixture<ConsentHostFixture>
{
    [Fact]
    public async Task GivenAGrantRacingADeny_WhenBothArrive_ThenOneWinsAndTheHiuIsToldExactlyThatOnce()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();

        var grant = world.SendPatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant");
        var deny = world.SendPatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/deny");
        using var granted = await grant;
        using var denied = await deny;

        var statuses = new[] { granted.StatusCode, denied.StatusCode };
        Assert.Single(statuses, HttpStatusCode.OK);
        Assert.Single(statuses, HttpStatusCode.Conflict);
        var winner = granted.StatusCode == HttpStatusCode.OK ? "GRANTED" : "DENIED";
        await world.HiuNotificationAsync(id, winner);
        await Task.Delay(1000); // a second notification, if one were wrongly sent, would have arrived by now
        Assert.Equal([winner], (await world.HiuNotificationsAsync(id)).Select(n => n.GetProperty("notification").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task GivenAGrantRacingARevokeAndExpiry_WhenTheyArriveTogether_ThenOneFinalStateThatBothPartnersAreToldOnce()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync(world.Consent(eraseAt: DateTimeOffset.UtcNow.AddSeconds(5)));
        var artefactId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant"))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        await world.HiuNotificationAsync(id, "GRANTED");
        await Task.Delay(TimeSpan.FromSeconds(5.5));

        var revoke = world.SendPatientAsync(HttpMethod.Post, $"v1/patients/me/consents/{artefactId}/revoke");
        var sweep = world.AdminSweepAsync();
        using var revoked = await revoke;
        await sweep;
        var final = revoked.StatusCode == HttpStatusCode.OK ? "REVOKED" : "EXPIRED";

        await world.HiuNotificationAsync(id, final);
        await world.HipNotificationAsync(artefactId, final);
        await Task.Delay(1000);
        // Each partner is told every state, in order, per consent artefact: a notice waits for the previous one's
        // delivery, and an unacknowledged notice is not sent again once a newer state was told (resends may repeat a state).
        Assert.Equal(["GRANTED", final], InOrder(await world.HiuNotificationsAsync(id)));
        Assert.Equal(["GRANTED", final], InOrder(await world.HipNotificationsAsync(artefactId)));
        var listed = await world.PatientAsync(HttpMethod.Get, $"v1/patients/me/consents?status={final}");
        Assert.Contains(listed.GetProperty("consents").EnumerateArray(), c => c.GetProperty("id").GetString() == artefactId);
    }

    [Fact]
    public async Task GivenAnotherPartner_WhenItAsksForOrFetchesSomeoneElsesConsent_ThenAnAbdmErrorAndNeverTheArtefact()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();
        var artefactId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant"))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        var (_, otherHiu, _) = await sandbox.OtherPartnerAsync(Roles.Hiu);
        var (_, otherHip, _) = await sandbox.OtherPartnerAsync(Roles.Hip);

        var (_, status) = await world.AbdmAsync("v0.5/consent-requests/status", otherHiu, new() { ["consentRequestId"] = id });
        var (_, hiuFetch) = await world.AbdmAsync("v0.5/consents/fetch", otherHiu, new() { ["consentId"] = artefactId });
        var (_, hipFetch) = await world.AbdmAsync("v0.5/consents/fetch", otherHip, new() { ["consentId"] = artefactId });

        foreach (var (bridge, path, request) in new[]
                 {
                     ("hiu", "/v0.5/consent-requests/on-status", status), ("hiu", "/v0.5/consents/on-fetch", hiuFetch), ("hip", "/v0.5/consents/on-fetch", hipFetch),
                 })
        {
            var answer = await world.CallbackAsync(bridge, path, b => ConsentWorld.Resp(b) == request);
            Assert.Equal("ABDM-1068", answer.GetProperty("error").GetProperty("code").GetString());
            Assert.False(answer.TryGetProperty("consent", out _));
            Assert.False(answer.TryGetProperty("consentRequest", out _));
            Assert.DoesNotContain(world.PatientAddress, answer.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GivenAnHiuNamingAFacilityThatIsNotItsOwn_WhenItRequestsConsent_ThenOnInitCarriesAnErrorAndNothingIsCreated()
    {
        var world = await sandbox.WorldAsync();
        var (_, _, otherFacility) = await sandbox.OtherPartnerAsync(Roles.Hiu);

        var onInit = await world.InitAsync(world.Consent(hiu: otherFacility));

        Assert.Equal("ABDM-1036", onInit.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(ConsentErrors.HiuNotServed, onInit.GetProperty("error").GetProperty("ndhmCode").GetString());
        var pending = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/consent-requests");
        Assert.Equal(0, pending.GetProperty("consentRequests").GetArrayLength());
    }

    public static TheoryData<string, string, string> BadRequests() => new()
    {
        { "dates out of order", ConsentErrors.InvalidDateRange, "ABDM-1063" },
        { "dataEraseAt in the past", ConsentErrors.DataEraseAtInPast, "ABDM-1063" },
        { "unknown purpose", ConsentErrors.InvalidPurpose, "ABDM-1017" },
        { "HIP is the HIU", ConsentErrors.HipIsHiu, "ABDM-1031" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task GivenABadConsentRequest_WhenSent_Then400InAbdmsShapeWithOurCodeBesideAndNoCallback(string @case, string code, string abdm)
    {
        var world = await sandbox.WorldAsync();
        var consent = JsonSerializer.SerializeToNode(world.Consent())!.AsObject();
        switch (@case)
        {
            case "dates out of order":
                consent["permission"]!["dateRange"]!["from"] = "2026-06-01T00:00:00.000Z";
                consent["permission"]!["dateRange"]!["to"] = "2025-01-01T00:00:00.000Z";
                break;
            case "dataEraseAt in the past":
                consent["permission"]!["dataEraseAt"] = "2020-01-01T00:00:00.000Z";
                break;
            case "unknown purpose":
                consent["purpose"]!["code"] = "MARKETING";
                break;
            case "HIP is the HIU":
                consent["hip"]!["id"] = world.Hiu;
                break;
        }

        var (response, requestId) = await world.AbdmAsync("v0.5/consent-requests/init", world.HiuToken, new() { ["consent"] = consent });

        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal((abdm, code), (error.GetProperty("code").GetString(), error.GetProperty("ndhmCode").GetString()));
        }

        await Task.Delay(500);
        Assert.Empty(await world.ReceivedAsync("hiu", "/v0.5/consent-requests/on-init", b => ConsentWorld.Resp(b) == requestId));
    }

    [Fact]
    public async Task GivenAHipNotification_WhenTheHipAcknowledgesIt_ThenItIsNotSentAgainWhileTheUnacknowledgedHiuOneIs()
    {
        var world = await sandbox.WorldAsync();
        var id = await world.RequestConsentAsync();
        var artefactId = (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant"))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        var hipNotice = await world.HipNotificationAsync(artefactId, "GRANTED");
        var hiuNotice = await world.HiuNotificationAsync(id, "GRANTED");
        var (otherHipClient, otherHip, _) = await sandbox.OtherPartnerAsync(Roles.Hip);

        var (foreignAck, _) = await world.AbdmAsync("v0.5/consents/hip/on-notify", otherHip, new()
        {
            ["acknowledgement"] = new { status = "OK", consentId = artefactId },
            ["resp"] = new { requestId = hipNotice.GetProperty("requestId").GetString() },
        });
        var (ack, _) = await world.AbdmAsync("v0.5/consents/hip/on-notify", world.HipToken, new()
        {
            ["acknowledgement"] = new { status = "OK", consentId = artefactId },
            ["resp"] = new { requestId = hipNotice.GetProperty("requestId").GetString() },
        });
        await Task.Delay(TimeSpan.FromSeconds(ConsentHostFixture.AckTimeoutSeconds + 1));
        await world.AdminSweepAsync();

        using (foreignAck)
        {
            Assert.Equal(HttpStatusCode.NotFound, foreignAck.StatusCode);
            var error = JsonDocument.Parse(await foreignAck.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("CONSENT_NOTIFICATION_NOT_FOUND", error.GetProperty("ndhmCode").GetString());
        }
        using (ack) Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
        var hiuCopies = await world.CallbacksAsync("hiu", "/v0.5/consents/hiu/notify",
            b => b.GetProperty("requestId").GetString() == hiuNotice.GetProperty("requestId").GetString(), atLeast: 2);
        Assert.Equal(2, hiuCopies.Count);
        Assert.Single(await world.HipNotificationsAsync(artefactId));
        Assert.NotEqual(world.HipClient, otherHipClient);
    }

    /// <summary>The statuses in arrival order (the inbox lists newest first), a repeated state (a resend) counted once where it repeats.</summary>
    private static List<string?> InOrder(IReadOnlyList<JsonElement> notifications)
    {
        var statuses = new List<string?>();
        foreach (var status in notifications.Reverse().Select(n => n.GetProperty("notification").GetProperty("status").GetString()))
            if (statuses.Count == 0 || statuses[^1] != status) statuses.Add(status);
        return statuses;
    }
}
