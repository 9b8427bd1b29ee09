using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.IntegrationTests.HealthId;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>The sample partners against a host whose users/auth transactions live <see cref="Lifetime"/>, so expiry is observable.</summary>
public sealed class DirectAuthFixture : SamplePartnersFixture
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(20);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Abdm__AuthTransactionLifetime"] = Lifetime.ToString("c", CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// DIRECT patient authentication over HTTP with the sample partners: the hospital's or clinic's desk sends
/// users/auth/init with authMode DIRECT, the patient approves or denies in the platform's patient API, the partner is
/// told through users/auth/notify and acknowledges with users/auth/on-notify. Denial, replay, another patient and
/// expiry; another partner's acknowledgement is refused. Also the desk's DEMOGRAPHICS confirm (sent with the staff's
/// details once on-init named the transaction) and its refusal.
/// </summary>
public sealed class DirectAuthTests(DirectAuthFixture sandbox) : IClassFixture<DirectAuthFixture>
{
    private async Task<(string Token, string Address)> PatientAsync()
    {
        var enrolled = await HealthIdApi.EnrolAsync(sandbox.Client, sandbox.NextIdentity());
        var token = HealthIdApi.Token(enrolled);
        var handle = "d" + Guid.NewGuid().ToString("N")[..10];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));
        return (token, handle + "@sbx");
    }

    /// <summary>The partner's desk asks for DIRECT authentication; the transaction once on-init arrived.</summary>
    private async Task<string> AskAsync(string partner, string address, string purpose)
    {
        var asked = await sandbox.Partners.PostAsync($"{partner}/users-auth", new { patient = address, purpose, authMode = "DIRECT" }, HttpStatusCode.Accepted);
        var session = await sandbox.Partners.UntilAsync($"{partner}/users-auth/{asked.GetProperty("requestId").GetString()}",
            s => s.GetProperty("status").GetString() != "SENT");
        Assert.True(session.GetProperty("status").GetString() == "AWAITING_PATIENT", session.ToString());
        Assert.Equal("DIRECT", session.GetProperty("mode").GetString());
        return session.GetProperty("transactionId").GetString()!;
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_401")]
    public async Task GivenTheHospitalAsksForDirectAuth_WhenThePatientApproves_ThenItIsNotifiedGrantedAndAcknowledges_AndApprovingAgainSendsNothingNew()
    {
        var (token, address) = await PatientAsync();
        var hospital = await sandbox.Partners.PartnerAsync("hospital");
        var facility = hospital.GetProperty("facilityId").GetString()!;

        var transactionId = await AskAsync("hospital", address, "KYC_AND_LINK");
        var listed = await PatientCallAsync(token, HttpMethod.Get, "v1/patients/me/auth-requests", HttpStatusCode.OK);
        var approved = await PatientCallAsync(token, HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/approve", HttpStatusCode.OK);
        var again = await PatientCallAsync(token, HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/approve", HttpStatusCode.OK);

        var request = listed.GetProperty("authRequests").EnumerateArray().Single(r => r.GetProperty("transactionId").GetString() == transactionId);
        Assert.Equal(("HIP", facility, "KYC_AND_LINK", address), (request.GetProperty("requesterType").GetString(), request.GetProperty("requesterId").GetString(),
            request.GetProperty("purpose").GetString(), request.GetProperty("abhaAddress").GetString()));
        var notificationId = approved.GetProperty("notificationRequestId").GetString()!;
        Assert.Equal("GRANTED", approved.GetProperty("status").GetString());
        Assert.Equal(notificationId, again.GetProperty("notificationRequestId").GetString());
        var session = await sandbox.Partners.UntilAsync($"hospital/users-auth/{transactionId}", s => s.GetProperty("status").GetString() == "GRANTED");
        Assert.True(session.GetProperty("hasAccessToken").GetBoolean());
        Assert.Equal(address, session.GetProperty("demographics").GetProperty("id").GetString());
        await AcceptedOnNotifyAsync("hospital", notificationId);
        var notify = (await sandbox.Partners.InboxAsync("hospital", "/v0.5/users/auth/notify", "received"))
            .Where(e => e.GetProperty("body").GetProperty("auth").GetProperty("transactionId").GetString() == transactionId).ToList();
        var received = Assert.Single(notify); // the second approval re-sent the same requestId: one delivery
        Assert.Equal(facility, received.GetProperty("headers").GetProperty("X-HIP-ID").GetString());
        Assert.Equal(notificationId, received.GetProperty("body").GetProperty("requestId").GetString());
        Assert.DoesNotContain((await PatientCallAsync(token, HttpMethod.Get, "v1/patients/me/auth-requests", HttpStatusCode.OK))
            .GetProperty("authRequests").EnumerateArray(), r => r.GetProperty("transactionId").GetString() == transactionId);

        // Another partner cannot acknowledge the hospital's notification.
        using var foreign = await OnNotifyAsClinicAsync(notificationId);
        var problem = await foreign.Content.ReadAsStringAsync();
        Assert.True(foreign.StatusCode == HttpStatusCode.NotFound, problem);
        Assert.Contains("AUTH_NOTIFICATION_NOT_FOUND", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTheClinicAsksForDirectKyc_WhenThePatientDenies_ThenItIsNotifiedDeniedWithoutTokenOrDetails_AndApprovingLaterIsAConflict()
    {
        var (token, address) = await PatientAsync();
        var transactionId = await AskAsync("clinic", address, "KYC");

        var denied = await PatientCallAsync(token, HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/deny", HttpStatusCode.OK);
        var late = await PatientCallAsync(token, HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/approve", HttpStatusCode.Conflict);
        Assert.True(late.TryGetProperty("code", out _), late.ToString());

        Assert.Equal("DENIED", denied.GetProperty("status").GetString());
        Assert.Equal("AUTH_TRANSACTION_DECIDED", late.GetProperty("code").GetString());
        var session = await sandbox.Partners.UntilAsync($"clinic/users-auth/{transactionId}", s => s.GetProperty("status").GetString() == "DENIED");
        Assert.False(session.GetProperty("hasAccessToken").GetBoolean());
        Assert.False(session.TryGetProperty("demographics", out var demographics) && demographics.ValueKind != JsonValueKind.Null, session.ToString());
        await AcceptedOnNotifyAsync("clinic", denied.GetProperty("notificationRequestId").GetString()!);
    }

    [Fact]
    public async Task GivenAnotherPatientsRequest_WhenThisPatientApprovesIt_ThenNotFound_AndTheRequestStaysTheOwners()
    {
        var (owner, address) = await PatientAsync();
        var (intruder, _) = await PatientAsync();
        var transactionId = await AskAsync("hospital", address, "LINK");

        var refused = await PatientCallAsync(intruder, HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/approve", HttpStatusCode.NotFound);
        var theirs = await PatientCallAsync(intruder, HttpMethod.Get, "v1/patients/me/auth-requests", HttpStatusCode.OK);
        var mine = await PatientCallAsync(owner, HttpMethod.Get, "v1/patients/me/auth-requests", HttpStatusCode.OK);

        Assert.Equal("AUTH_TRANSACTION_NOT_FOUND", refused.GetProperty("code").GetString());
        Assert.DoesNotContain(theirs.GetProperty("authRequests").EnumerateArray(), r => r.GetProperty("transactionId").GetString() == transactionId);
        Assert.Contains(mine.GetProperty("authRequests").EnumerateArray(), r => r.GetProperty("transactionId").GetString() == transactionId);
        Assert.Equal("AWAITING_PATIENT", (await sandbox.Partners.GetAsync($"hospital/users-auth/{transactionId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GivenADirectRequest_WhenThePatientAnswersAfterItsLifetime_ThenGone_AndThePartnerIsNotNotified()
    {
        var (token, address) = await PatientAsync();
        var transactionId = await AskAsync("hospital", address, "LINK");
        await Task.Delay(DirectAuthFixture.Lifetime + TimeSpan.FromSeconds(1));

        var expired = await PatientCallAsync(token, HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/approve", HttpStatusCode.Gone);
        var listed = await PatientCallAsync(token, HttpMethod.Get, "v1/patients/me/auth-requests", HttpStatusCode.OK);

        Assert.Equal("AUTH_TRANSACTION_EXPIRED", expired.GetProperty("code").GetString());
        Assert.Empty(listed.GetProperty("authRequests").EnumerateArray());
        Assert.DoesNotContain(await sandbox.Partners.InboxAsync("hospital", "/v0.5/users/auth/notify", "received"),
            e => e.GetProperty("body").GetProperty("auth").GetProperty("transactionId").GetString() == transactionId);
    }

    [Fact]
    public async Task GivenThePatientsAnswerReachesTheHospitalBeforeOnInit_WhenOnInitFollows_ThenTheDeskActsOnTheAnswer()
    {
        // Callbacks travel as separate deliveries, so notify can overtake on-init. Once the platform has answered an
        // init for no such patient (on-init with an error), no callback of its own is left, so the test delivers both
        // callbacks to the hospital's bridge itself, in the late order.
        var asked = await sandbox.Partners.PostAsync("hospital/users-auth", new { patient = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@sbx", purpose = "LINK", authMode = "DIRECT" }, HttpStatusCode.Accepted);
        var requestId = asked.GetProperty("requestId").GetString()!;
        var answered = await sandbox.Partners.UntilAsync($"hospital/users-auth/{requestId}", s => s.GetProperty("status").GetString() != "SENT");
        Assert.True(answered.GetProperty("status").GetString() == "ERROR", answered.ToString());
        var transactionId = Guid.NewGuid().ToString();
        var notificationId = Guid.NewGuid().ToString();

        await BridgeAsync("hospital", "v0.5/users/auth/notify", new
        {
            requestId = notificationId,
            timestamp = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            auth = new { transactionId, status = "DENIED" },
        });
        await sandbox.Partners.UntilAsync("hospital/messages?path=/v0.5/users/auth/on-notify&direction=sent",
            m => m.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("body").GetProperty("resp").GetProperty("requestId").GetString() == notificationId));
        await BridgeAsync("hospital", "v0.5/users/auth/on-init", new
        {
            requestId = Guid.NewGuid().ToString(),
            timestamp = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            auth = new { transactionId, mode = "DIRECT" },
            resp = new { requestId },
        });
        var session = await sandbox.Partners.UntilAsync($"hospital/users-auth/{requestId}", s => s.GetProperty("status").GetString() is "DENIED" or "GRANTED");

        Assert.Equal(("DENIED", transactionId, notificationId), (session.GetProperty("status").GetString(),
            session.GetProperty("transactionId").GetString(), session.GetProperty("notificationRequestId").GetString()));
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_503")]
    public async Task GivenTheHospitalAsksForDemographicAuthWithDetailsThatAreNotHers_WhenOnInitNamesTheTransaction_ThenTheDeskConfirmsWithThem_AndTheRefusalEndsTheSession()
    {
        var (_, address) = await PatientAsync();
        var typed = new { name = "Not Her Name", gender = "O", dateOfBirth = "1901-01-01" };

        var asked = await sandbox.Partners.PostAsync("hospital/users-auth", new { patient = address, purpose = "LINK", authMode = "DEMOGRAPHICS", demographic = typed }, HttpStatusCode.Accepted);
        var requestId = asked.GetProperty("requestId").GetString()!;
        var session = await sandbox.Partners.UntilAsync($"hospital/users-auth/{requestId}", s => s.GetProperty("status").GetString() is "ERROR" or "GRANTED");

        Assert.Equal(("ERROR", "DEMOGRAPHICS"), (session.GetProperty("status").GetString(), session.GetProperty("mode").GetString()));
        Assert.Equal("ABDM-1045", session.GetProperty("error").GetProperty("code").GetString());
        Assert.False(session.GetProperty("hasAccessToken").GetBoolean());
        var transactionId = session.GetProperty("transactionId").GetString();
        var confirm = Assert.Single(await sandbox.Partners.InboxAsync("hospital", "/v0.5/users/auth/confirm", "sent"),
            e => e.GetProperty("body").GetProperty("transactionId").GetString() == transactionId);
        var sent = confirm.GetProperty("body").GetProperty("credential").GetProperty("demographic");
        Assert.Equal((typed.name, typed.gender, typed.dateOfBirth),
            (sent.GetProperty("name").GetString(), sent.GetProperty("gender").GetString(), sent.GetProperty("dateOfBirth").GetString()));
    }

    [Fact]
    public async Task GivenAnAddressTheHospitalHoldsNoRecordOf_WhenItsDeskIsAskedToLinkWithDemographicAuthWithoutDetails_ThenBadRequest()
    {
        using var response = await sandbox.Partners.Client.PostAsJsonAsync("hospital/care-context-links",
            new { patient = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@sbx", authMode = "DEMOGRAPHICS" });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("demographic {name, gender, dateOfBirth} is required", text, StringComparison.Ordinal);
    }

    private async Task BridgeAsync(string partner, string path, object body)
    {
        using var delivered = await sandbox.Partners.Client.PostAsJsonAsync($"{partner}/{path}", body);
        Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
    }

    /// <summary>The partner's on-notify answering <paramref name="notificationId"/> was accepted (202).</summary>
    private async Task AcceptedOnNotifyAsync(string partner, string notificationId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var sent = await sandbox.Partners.InboxAsync(partner, "/v0.5/users/auth/on-notify", "sent");
            if (sent.Any(e => e.GetProperty("body").GetProperty("resp").GetProperty("requestId").GetString() == notificationId
                              && e.GetProperty("status").GetInt32() == 202)) return;
            Assert.True(DateTime.UtcNow < deadline, $"{partner} never had on-notify for {notificationId} accepted: {string.Join('\n', sent)}");
            await Task.Delay(250);
        }
    }

    /// <summary>The clinic, with its own credentials, acknowledges a notification that was not sent to it.</summary>
    private async Task<HttpResponseMessage> OnNotifyAsClinicAsync(string notificationId)
    {
        var credentials = await sandbox.Partners.GetAsync("clinic/credentials");
        var clinic = await sandbox.Partners.PartnerAsync("clinic");
        var session = await HealthIdApi.OkJsonAsync(await sandbox.Client.PostAsJsonAsync("api/v1/sessions", new
        {
            clientId = credentials.GetProperty("clientId").GetString(),
            clientSecret = credentials.GetProperty("clientSecret").GetString(),
            grantType = "client_credentials",
        }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v0.5/users/auth/on-notify")
        {
            Content = JsonContent.Create(new
            {
                requestId = Guid.NewGuid().ToString(),
                timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                acknowledgement = new { status = "OK" },
                resp = new { requestId = notificationId },
            }),
        };
        request.Headers.Authorization = new("Bearer", session.GetProperty("accessToken").GetString());
        request.Headers.Add("X-CM-ID", "sbx");
        request.Headers.Add("X-HIU-ID", clinic.GetProperty("facilityId").GetString());
        return await sandbox.Client.SendAsync(request);
    }

    private async Task<JsonElement> PatientCallAsync(string token, HttpMethod method, string path, HttpStatusCode expected)
    {
        using var response = await HealthIdApi.SendAsync(sandbox.Client, method, path, token, method == HttpMethod.Post ? new { } : null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
