using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Linking;

/// <summary>
/// Discovery and linking over the real HTTP surface, named after ABDM's M2 certification cases: USER_INIT_LINK_6xx
/// (patient-initiated), HIP_INTI_LINK_2xx-5xx (HIP-initiated with a link token), HIP_INIT_NOTIFY_HIECM (new data).
/// </summary>
public sealed class LinkingFlowTests(LinkingHostFixture host) : IClassFixture<LinkingHostFixture>
{
    private static object CareContext(string reference) => new { referenceNumber = reference, display = "Visit " + reference, hiTypes = new[] { "OPConsultation" } };

    private static Dictionary<string, object?> HipPatient(params string[] references) => new()
    {
        ["referenceNumber"] = "MRN-" + references[0], ["display"] = "Test Patient", ["careContexts"] = references.Select(CareContext).ToArray(),
    };

    /// <summary>Discovery answered by <paramref name="hip"/> with <paramref name="references"/>; returns the transactionId.</summary>
    private async Task<string> DiscoverAsync(TestPatient patient, TestHip hip, params string[] references)
    {
        var started = await patient.JsonAsync(HttpMethod.Post, "v1/patients/me/discover", new { hipId = hip.ClientId }, HttpStatusCode.Accepted);
        var txn = started.GetProperty("transactionId").GetString()!;
        var discover = await host.ReceivedAsync("/v0.5/care-contexts/discover", txn);
        await hip.AcceptedAsync("api/v0.5/care-contexts/on-discover", new()
        {
            ["transactionId"] = txn, ["patient"] = HipPatient(references), ["resp"] = new { requestId = discover.GetProperty("requestId").GetString() },
        });
        await patient.UntilAsync($"v1/patients/me/discoveries/{txn}", d => d.GetProperty("status").GetString() != "PENDING");
        return txn;
    }

    /// <summary>Link init answered by the HIP's on-init; returns the link request id.</summary>
    private async Task<string> AwaitingOtpAsync(TestPatient patient, TestHip hip, string txn, string linkRef, params string[] references)
    {
        var init = await patient.JsonAsync(HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = references }, HttpStatusCode.Accepted);
        var linkRequestId = init.GetProperty("linkRequestId").GetString()!;
        var sent = await host.ReceivedAsync("/v0.5/links/link/init", txn);
        Assert.Equal(patient.AbhaAddress, sent.GetProperty("patient").GetProperty("id").GetString());
        await hip.AcceptedAsync("api/v0.5/links/link/on-init", new()
        {
            ["transactionId"] = txn,
            ["link"] = new { referenceNumber = linkRef, authenticationType = "DIRECT", meta = new { communicationMedium = "MOBILE", communicationHint = "******0161" } },
            ["resp"] = new { requestId = sent.GetProperty("requestId").GetString() },
        });
        await patient.UntilAsync($"v1/patients/me/link-requests/{linkRequestId}", r => r.GetProperty("status").GetString() == "AWAITING_OTP");
        return linkRequestId;
    }

    private async Task ConfirmAsync(TestPatient patient, TestHip hip, string linkRef, string otp, object? error, params string[] linked)
    {
        await patient.JsonAsync(HttpMethod.Post, $"v1/patients/me/links/{linkRef}/confirm", new { otp }, HttpStatusCode.Accepted);
        var confirm = await host.ReceivedAsync("/v0.5/links/link/confirm", linkRef + "\",\"token\":\"" + otp);
        await hip.AcceptedAsync("api/v0.5/links/link/on-confirm", new()
        {
            ["patient"] = error is null ? HipPatient(linked) : null, ["error"] = error,
            ["resp"] = new { requestId = confirm.GetProperty("requestId").GetString() },
        });
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_601")]
    public async Task USER_INIT_LINK_601_GivenAPatient_WhenTheyDiscoverAndLinkWithTheHipsOtp_ThenTheCareContextsAreLinkedToTheirAbha()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());

        var txn = await DiscoverAsync(patient, hip, "V1", "V2");
        var discovered = await patient.JsonAsync(HttpMethod.Get, $"v1/patients/me/discoveries/{txn}");
        Assert.Equal(["V1", "V2"], discovered.GetProperty("patient").GetProperty("careContexts").EnumerateArray().Select(c => c.GetProperty("referenceNumber").GetString()));
        var discover = await host.ReceivedAsync("/v0.5/care-contexts/discover", txn);
        Assert.Contains(discover.GetProperty("patient").GetProperty("verifiedIdentifiers").EnumerateArray(),
            i => i.GetProperty("type").GetString() == "MOBILE" && i.GetProperty("value").GetString() == patient.Identity.Mobile);

        var linkRef = "LREF-" + Guid.NewGuid().ToString("N")[..8];
        var linkRequestId = await AwaitingOtpAsync(patient, hip, txn, linkRef, "V1");
        await ConfirmAsync(patient, hip, linkRef, "424242", null, "V1");

        await patient.UntilAsync($"v1/patients/me/link-requests/{linkRequestId}", r => r.GetProperty("status").GetString() == "LINKED");
        var links = await patient.JsonAsync(HttpMethod.Get, "v1/patients/me/links");
        var at = Assert.Single(links.GetProperty("hips").EnumerateArray());
        Assert.Equal(hip.ClientId, at.GetProperty("hipId").GetString());
        Assert.Equal("V1", Assert.Single(at.GetProperty("careContexts").EnumerateArray()).GetProperty("referenceNumber").GetString());
        var exported = Assert.Single((await patient.JsonAsync(HttpMethod.Get, "v1/patients/me/export")).GetProperty("careContextLinks").EnumerateArray());
        Assert.Equal((hip.ClientId, "V1"), (exported.GetProperty("hipId").GetString(), exported.GetProperty("careContextReference").GetString()));
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_602")]
    public async Task USER_INIT_LINK_602_GivenAHipThatFindsNoMatch_WhenItAnswersWithAnError_ThenTheDiscoveryFails_AndNothingCanBeLinked()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        var started = await patient.JsonAsync(HttpMethod.Post, "v1/patients/me/discover", new { hipId = hip.ClientId }, HttpStatusCode.Accepted);
        var txn = started.GetProperty("transactionId").GetString()!;
        var discover = await host.ReceivedAsync("/v0.5/care-contexts/discover", txn);

        await hip.AcceptedAsync("api/v0.5/care-contexts/on-discover", new()
        {
            ["transactionId"] = txn, ["error"] = new { code = 1000, message = "No patient found" },
            ["resp"] = new { requestId = discover.GetProperty("requestId").GetString() },
        });

        var failed = await patient.UntilAsync($"v1/patients/me/discoveries/{txn}", d => d.GetProperty("status").GetString() != "PENDING");
        Assert.Equal(("FAILED", "1000"), (failed.GetProperty("status").GetString(), failed.GetProperty("error").GetProperty("code").GetString()));
        using var link = await patient.SendAsync(HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = new[] { "V1" } });
        await Problems.AssertProblemAsync(link, HttpStatusCode.Conflict, "DISCOVERY_NOT_COMPLETE");
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_603")]
    public async Task USER_INIT_LINK_603_GivenADiscovery_WhenLinkingUndiscoveredOrTooManyCareContexts_OrLinkingTwice_ThenPreciseErrors()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        var references = Enumerable.Range(1, 21).Select(i => "C" + i).ToArray();
        var txn = await DiscoverAsync(patient, hip, references);

        using (var undiscovered = await patient.SendAsync(HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = new[] { "C1", "X9" } }))
            await Problems.AssertProblemAsync(undiscovered, HttpStatusCode.BadRequest, "CARE_CONTEXTS_NOT_DISCOVERED");
        using (var tooMany = await patient.SendAsync(HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = references }))
            await Problems.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest, "INVALID_CARE_CONTEXTS");

        var linkRef = "LREF-" + Guid.NewGuid().ToString("N")[..8];
        var linkRequestId = await AwaitingOtpAsync(patient, hip, txn, linkRef, "C1");
        await ConfirmAsync(patient, hip, linkRef, "111222", null, "C1");
        await patient.UntilAsync($"v1/patients/me/link-requests/{linkRequestId}", r => r.GetProperty("status").GetString() == "LINKED");

        var again = await DiscoverAsync(patient, hip, "C1");
        using var twice = await patient.SendAsync(HttpMethod.Post, "v1/patients/me/links", new { transactionId = again, careContexts = new[] { "C1" } });
        var problem = await Problems.AssertProblemAsync(twice, HttpStatusCode.Conflict, "CARE_CONTEXT_ALREADY_LINKED");
        Assert.Equal("ABDM-1056", problem.GetProperty("abdmCode").GetString());
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_604")]
    public async Task USER_INIT_LINK_604_GivenAWrongOtp_WhenTheHipRefusesIt_ThenNothingIsLinked_AndAnUnknownLinkReferenceIsNotFound()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        var txn = await DiscoverAsync(patient, hip, "V1");
        var linkRef = "LREF-" + Guid.NewGuid().ToString("N")[..8];
        var linkRequestId = await AwaitingOtpAsync(patient, hip, txn, linkRef, "V1");

        await ConfirmAsync(patient, hip, linkRef, "000000", new { code = "ABDM-1012", message = "Invalid OTP" });

        var refused = await patient.UntilAsync($"v1/patients/me/link-requests/{linkRequestId}", r => r.TryGetProperty("error", out _));
        Assert.Equal("AWAITING_OTP", refused.GetProperty("status").GetString());
        Assert.Empty((await patient.JsonAsync(HttpMethod.Get, "v1/patients/me/links")).GetProperty("hips").EnumerateArray());
        using var unknown = await patient.SendAsync(HttpMethod.Post, "v1/patients/me/links/NO-SUCH-REF/confirm", new { otp = "123456" });
        await Problems.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "LINK_REFERENCE_NOT_FOUND");
    }

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_605")]
    public async Task USER_INIT_LINK_605_GivenAnOpenDiscovery_WhenRepeated_ThenAbdm1103_AndAHipThatNeverAnswersGivesAbdm1401()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        var started = await patient.JsonAsync(HttpMethod.Post, "v1/patients/me/discover", new { hipId = hip.ClientId }, HttpStatusCode.Accepted);
        var txn = started.GetProperty("transactionId").GetString()!;

        using (var duplicate = await patient.SendAsync(HttpMethod.Post, "v1/patients/me/discover", new { hipId = hip.ClientId }))
        {
            var problem = await Problems.AssertProblemAsync(duplicate, HttpStatusCode.Conflict, "DISCOVERY_IN_PROGRESS");
            Assert.Equal("ABDM-1103", problem.GetProperty("abdmCode").GetString());
        }

        await Task.Delay(TimeSpan.FromSeconds(LinkingHostFixture.DiscoveryTimeoutSeconds + 1));
        var timedOut = await patient.JsonAsync(HttpMethod.Get, $"v1/patients/me/discoveries/{txn}");
        Assert.Equal(("TIMED_OUT", "ABDM-1401"), (timedOut.GetProperty("status").GetString(), timedOut.GetProperty("error").GetProperty("code").GetString()));
        using var late = await hip.PostAsync("api/v0.5/care-contexts/on-discover", new() { ["transactionId"] = txn, ["patient"] = HipPatient("V1") });
        await Abdm.AbdmPartner.AssertAbdmErrorAsync(late, HttpStatusCode.Conflict, "ABDM-1040", "DISCOVERY_NOT_FOUND");
        await patient.JsonAsync(HttpMethod.Post, "v1/patients/me/discover", new { hipId = hip.ClientId }, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task GivenAPatientsDiscoveryAtOneHip_WhenAnotherPartnerAnswersOrAnotherPatientLooks_ThenNeitherSeesNorChangesIt()
    {
        var (patient, other, hip, intruder) = (await host.PatientAsync(), await host.PatientAsync(), await host.HipAsync(), await host.HipAsync());
        var started = await patient.JsonAsync(HttpMethod.Post, "v1/patients/me/discover", new { hipId = hip.ClientId }, HttpStatusCode.Accepted);
        var txn = started.GetProperty("transactionId").GetString()!;

        using var answer = await intruder.PostAsync("api/v0.5/care-contexts/on-discover", new() { ["transactionId"] = txn, ["patient"] = HipPatient("EVIL") });
        await Abdm.AbdmPartner.AssertAbdmErrorAsync(answer, HttpStatusCode.NotFound, "ABDM-1040", "DISCOVERY_NOT_FOUND");
        using var look = await other.SendAsync(HttpMethod.Get, $"v1/patients/me/discoveries/{txn}");
        await Problems.AssertProblemAsync(look, HttpStatusCode.NotFound, "DISCOVERY_NOT_FOUND");
        Assert.Equal("PENDING", (await patient.JsonAsync(HttpMethod.Get, $"v1/patients/me/discoveries/{txn}")).GetProperty("status").GetString());
    }

    private async Task<string> LinkTokenAsync(TestHip hip, TestPatient patient, int yearOfBirth = 1992)
    {
        var requestId = Guid.NewGuid().ToString();
        await hip.AcceptedAsync("api/v3/token/generate-token", new()
        {
            ["abhaAddress"] = patient.AbhaAddress, ["name"] = patient.Identity.FirstName + " " + patient.Identity.LastName, ["gender"] = "F",
            ["yearOfBirth"] = yearOfBirth,
        }, requestId);
        var callback = await host.ReceivedAsync("/v3/hip/token/on-generate-token", requestId);
        return callback.TryGetProperty("linkToken", out var token) ? token.GetString()! : callback.GetProperty("error").GetProperty("code").GetString()!;
    }

    private static string? Header(JsonElement headers, string name) =>
        headers.EnumerateObject().FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value.GetString();

    private async Task<JsonElement> AddContextsAsync(TestHip hip, string token, params string[] references)
    {
        var requestId = Guid.NewGuid().ToString();
        await hip.AcceptedAsync("api/v0.5/links/link/add-contexts", new() { ["link"] = new { accessToken = token, patient = HipPatient(references) } }, requestId);
        return await host.ReceivedAsync("/v0.5/links/link/on-add-contexts", requestId);
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_201")]
    public async Task HIP_INTI_LINK_201_GivenALinkToken_WhenTheHipAddsANewVisit_ThenItIsLinked_AndThePatientSeesIt()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        var token = await LinkTokenAsync(hip, patient);
        var issued = await host.ReceivedRequestAsync("/v3/hip/token/on-generate-token", token);
        var headers = issued.GetProperty("headers");
        Assert.Equal(("sbx", hip.ClientId), (Header(headers, "X-CM-ID"), Header(headers, "X-HIP-ID")));

        var answer = await AddContextsAsync(hip, token, "OP-1");

        Assert.Equal("SUCCESS", answer.GetProperty("acknowledgement").GetProperty("status").GetString());
        var at = Assert.Single((await patient.JsonAsync(HttpMethod.Get, "v1/patients/me/links")).GetProperty("hips").EnumerateArray());
        Assert.Equal("HIP", Assert.Single(at.GetProperty("careContexts").EnumerateArray()).GetProperty("source").GetString());
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_301")]
    public async Task HIP_INTI_LINK_301_GivenDemographicsThatDoNotMatchTheAbha_WhenAHipAsksForALinkToken_ThenTheCallbackIsAnError()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());

        Assert.Equal("ABDM-1051", await LinkTokenAsync(hip, patient, yearOfBirth: 1993));
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_401")]
    public async Task HIP_INTI_LINK_401_GivenAnotherHipsLinkToken_OrAnInventedOne_WhenAddingContexts_ThenAbdm1066_AndNothingIsLinked()
    {
        var (patient, hip, intruder) = (await host.PatientAsync(), await host.HipAsync(), await host.HipAsync());
        var token = await LinkTokenAsync(hip, patient);

        Assert.Equal("ABDM-1066", (await AddContextsAsync(intruder, token, "OP-1")).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("ABDM-1066", (await AddContextsAsync(hip, "invented-token", "OP-1")).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty((await patient.JsonAsync(HttpMethod.Get, "v1/patients/me/links")).GetProperty("hips").EnumerateArray());
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_501")]
    public async Task HIP_INTI_LINK_501_GivenALinkedCareContext_WhenTheHipAddsItAgain_ThenAbdm1056()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        var token = await LinkTokenAsync(hip, patient);
        await AddContextsAsync(hip, token, "OP-1");

        Assert.Equal("ABDM-1056", (await AddContextsAsync(hip, token, "OP-1")).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    [Trait("Certification", "HIP_INIT_NOTIFY_HIECM")]
    public async Task HIP_INIT_NOTIFY_HIECM_GivenALinkedCareContext_WhenTheHipNotifiesNewData_ThenItIsAcknowledged_AndAnotherHipCannot()
    {
        var (patient, hip, intruder) = (await host.PatientAsync(), await host.HipAsync(), await host.HipAsync());
        await AddContextsAsync(hip, await LinkTokenAsync(hip, patient), "OP-1");

        var notification = new { patient = new { id = patient.AbhaAddress }, careContext = new { patientReference = "MRN-OP-1", careContextReference = "OP-1" },
            hiTypes = new[] { "Prescription" }, date = DateTimeOffset.UtcNow };
        var requestId = Guid.NewGuid().ToString();
        await hip.AcceptedAsync("api/v0.5/links/context/notify", new() { ["notification"] = notification }, requestId);
        Assert.Equal("SUCCESS", (await host.ReceivedAsync("/v0.5/links/context/on-notify", requestId)).GetProperty("acknowledgement").GetProperty("status").GetString());

        var intruderRequest = Guid.NewGuid().ToString();
        await intruder.AcceptedAsync("api/v0.5/links/context/notify", new() { ["notification"] = notification }, intruderRequest);
        Assert.True((await host.ReceivedAsync("/v0.5/links/context/on-notify", intruderRequest)).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task GivenALinkedCareContext_WhenThePatientUnlinksIt_ThenItIsGone_AndTheHipIsTold()
    {
        var (patient, hip) = (await host.PatientAsync(), await host.HipAsync());
        await AddContextsAsync(hip, await LinkTokenAsync(hip, patient), "OP-1", "OP-2");

        using var unlink = await patient.SendAsync(HttpMethod.Delete, $"v1/patients/me/links/{hip.ClientId}/OP-1");
        Assert.Equal(HttpStatusCode.NoContent, unlink.StatusCode);

        var at = Assert.Single((await patient.JsonAsync(HttpMethod.Get, "v1/patients/me/links")).GetProperty("hips").EnumerateArray());
        Assert.Equal("OP-2", Assert.Single(at.GetProperty("careContexts").EnumerateArray()).GetProperty("referenceNumber").GetString());
        Assert.Contains("\"careContextReference\":\"OP-1\"", (await host.ReceivedAsync("/v1/links/unlinked", patient.AbhaAddress)).GetRawText());
    }
}
