using System.Text.Json;
using Ndhm.IntegrationTests.HealthId;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Abdm;

/// <summary>
/// Patient authentication for partners over the real HTTP surface: users/auth/init and confirm with MOBILE_OTP (the
/// OTP read from the sandbox outbox, as the patient would read it to the HIP) and DEMOGRAPHICS, and patients/find.
/// </summary>
public sealed class PartnerAuthTests(AbdmHostFixture host) : IClassFixture<AbdmHostFixture>
{
    private async Task<(TestIdentity Identity, string Address, string Number)> PatientAsync()
    {
        var identity = host.NextIdentity();
        var enrolment = await EnrolAsync(host.Client, identity);
        var handle = "p" + Guid.NewGuid().ToString("N")[..10];
        await OkJsonAsync(await PostAsync(host.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle, preferred = true }, Token(enrolment)));
        return (identity, handle + "@sbx", Number(enrolment).Replace("-", "", StringComparison.Ordinal));
    }

    private static async Task<string> LatestPartnerAuthOtpAsync(AbdmHostFixture host, string mobile)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var json = await OkJsonAsync(await host.Client.GetAsync($"api/sandbox/otp-outbox?mobile={mobile}"));
            var otp = json.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.GetProperty("purpose").GetString() == "PartnerAuth");
            if (otp.ValueKind == JsonValueKind.Object) return otp.GetProperty("otp").GetString()!;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no partner-auth OTP in the outbox");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonElement> InitAsync(AbdmPartner partner, string patient, string purpose, string mode)
    {
        var requestId = await partner.AcceptedAsync("/v0.5/users/auth/init",
            new { query = new { id = patient, purpose, authMode = mode, requester = new { type = partner.HipId is null ? "HIU" : "HIP", id = partner.HipId ?? partner.ClientId } } });
        return (await partner.CallbackAsync("/v0.5/users/auth/on-init", requestId)).Body;
    }

    private static async Task<AbdmCallback> ConfirmAsync(AbdmPartner partner, string transactionId, object credential)
    {
        var requestId = await partner.AcceptedAsync("/v0.5/users/auth/confirm", new { transactionId, credential });
        return await partner.CallbackAsync("/v0.5/users/auth/on-confirm", requestId);
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_201")]
    public async Task GivenAHipAuthenticatingWithMobileOtpForKycAndLink_WhenThePatientsOtpIsConfirmed_ThenTokenAndDemographics()
    {
        var (identity, address, number) = await PatientAsync();
        var hip = await host.HipAsync();

        var init = await InitAsync(hip, address, "KYC_AND_LINK", "MOBILE_OTP");
        var transactionId = init.GetProperty("auth").GetProperty("transactionId").GetString()!;
        var otp = await LatestPartnerAuthOtpAsync(host, identity.Mobile);
        var confirmed = await ConfirmAsync(hip, transactionId, new { authCode = otp });

        Assert.Equal("MOBILE_OTP", init.GetProperty("auth").GetProperty("mode").GetString());
        Assert.Contains("******", init.GetProperty("auth").GetProperty("meta").GetProperty("hint").GetString());
        Assert.Equal(hip.HipId, confirmed.Headers["X-HIP-ID"]);
        var auth = confirmed.Body.GetProperty("auth");
        var token = auth.GetProperty("accessToken").GetString()!;
        var claims = JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1])).RootElement;
        Assert.Equal(number, claims.GetProperty("sub").GetString());
        Assert.Equal("ndhm-patient-auth", claims.GetProperty("aud").GetString());
        Assert.Equal(address, claims.GetProperty("abha_address").GetString());
        Assert.Equal(hip.HipId, claims.GetProperty("requester_id").GetString());
        Assert.Equal("HIP", claims.GetProperty("requester_type").GetString());
        Assert.Equal(hip.ClientId, claims.GetProperty("partner_id").GetString());
        Assert.Equal("KYC_AND_LINK", auth.GetProperty("validity").GetProperty("purpose").GetString());
        Assert.Equal(hip.HipId, auth.GetProperty("validity").GetProperty("requester").GetProperty("id").GetString());
        var patient = auth.GetProperty("patient");
        Assert.Equal(address, patient.GetProperty("id").GetString());
        Assert.Equal("F", patient.GetProperty("gender").GetString());
        Assert.Equal(1992, patient.GetProperty("yearOfBirth").GetInt32());
        Assert.Contains(identity.LastName, patient.GetProperty("name").GetString());

        // The token is not a bearer token for the platform's API.
        using var request = Gateway.GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", token);
        using var refused = await host.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task GivenAWrongOtp_WhenConfirmed_ThenAbdm1041_AndAfterTheLastAttemptAbdm1043()
    {
        var (identity, address, _) = await PatientAsync();
        var hiu = await host.HiuAsync();
        var init = await InitAsync(hiu, address, "KYC", "MOBILE_OTP");
        var transactionId = init.GetProperty("auth").GetProperty("transactionId").GetString()!;
        var wrong = WrongOtp(await LatestPartnerAuthOtpAsync(host, identity.Mobile));

        var codes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var answer = await ConfirmAsync(hiu, transactionId, new { authCode = wrong });
            codes.Add(answer.Body.GetProperty("error").GetProperty("code").GetString()!);
            Assert.False(answer.Body.TryGetProperty("auth", out _));
        }

        Assert.Equal(["ABDM-1041", "ABDM-1041", "ABDM-1043", "ABDM-1043"], codes);
    }

    [Fact]
    public async Task GivenDemographics_WhenTheyMatch_ThenALinkToken_AndWhenTheyDoNot_ThenAbdm1045()
    {
        var (identity, address, _) = await PatientAsync();
        var hip = await host.HipAsync();
        var first = (await InitAsync(hip, address, "LINK", "DEMOGRAPHICS")).GetProperty("auth").GetProperty("transactionId").GetString()!;

        var mismatch = await ConfirmAsync(hip, first, new { demographic = new { name = "Someone Else", gender = "F", dateOfBirth = "1992-03-04" } });
        var match = await ConfirmAsync(hip, first,
            new { demographic = new { name = $" {identity.FirstName}  {identity.LastName.ToUpperInvariant()} ", gender = "F", dateOfBirth = "1992-03-04" } });

        Assert.Equal("ABDM-1045", mismatch.Body.GetProperty("error").GetProperty("code").GetString());
        var auth = match.Body.GetProperty("auth");
        Assert.False(string.IsNullOrEmpty(auth.GetProperty("accessToken").GetString()));
        Assert.False(auth.TryGetProperty("patient", out _)); // LINK: the token only
    }

    [Fact]
    [Trait("Certification", "HIP_INTI_LINK_201")]
    public async Task GivenAUsersAuthAccessTokenForLink_WhenTheHipAddsContextsWithIt_ThenTheyAreLinked_AndAKycTokenlessOrForeignTokenIsAbdm1066()
    {
        var (identity, address, _) = await PatientAsync();
        var hip = await host.HipAsync();
        var other = await host.HipAsync();
        var transaction = (await InitAsync(hip, address, "LINK", "DEMOGRAPHICS")).GetProperty("auth").GetProperty("transactionId").GetString()!;
        var confirmed = await ConfirmAsync(hip, transaction,
            new { demographic = new { name = $"{identity.FirstName} {identity.LastName}", gender = "F", dateOfBirth = "1992-03-04" } });
        var accessToken = confirmed.Body.GetProperty("auth").GetProperty("accessToken").GetString()!;

        var added = await AddAsync(hip, Link(accessToken));
        var again = await AddAsync(hip, Link(accessToken));
        var foreign = await AddAsync(other, Link(accessToken));

        Assert.False(added.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object, added.ToString());
        Assert.Equal("SUCCESS", added.GetProperty("acknowledgement").GetProperty("status").GetString());
        Assert.Equal("ABDM-1056", again.GetProperty("error").GetProperty("code").GetString()); // linked by the first
        Assert.Equal("ABDM-1066", foreign.GetProperty("error").GetProperty("code").GetString()); // issued to another HIP
    }

    private static object Link(string token) => new
    {
        link = new
        {
            accessToken = token,
            patient = new { referenceNumber = "MRN-AUTH-1", display = "Asha", careContexts = new[] { new { referenceNumber = "OPD-AUTH-1", display = "OPD visit" } } },
        },
    };

    private static async Task<JsonElement> AddAsync(AbdmPartner hip, object body)
    {
        var requestId = await hip.AcceptedAsync("/v0.5/links/link/add-contexts", body);
        return (await hip.CallbackAsync("/v0.5/links/link/on-add-contexts", requestId)).Body;
    }

    [Fact]
    public async Task GivenAnotherPartnersTransaction_WhenConfirmed_ThenAbdm1040AndNoToken()
    {
        var (identity, address, _) = await PatientAsync();
        var hip = await host.HipAsync();
        var intruder = await host.HipAsync();
        var transactionId = (await InitAsync(hip, address, "LINK", "MOBILE_OTP")).GetProperty("auth").GetProperty("transactionId").GetString()!;
        var otp = await LatestPartnerAuthOtpAsync(host, identity.Mobile);

        var stolen = await ConfirmAsync(intruder, transactionId, new { authCode = otp });

        Assert.Equal("ABDM-1040", stolen.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_101")]
    public async Task GivenAnHiu_WhenItFindsAPatient_ThenOnFindNamesThem_AndAnUnknownIdIsAbdm1051()
    {
        var (identity, address, _) = await PatientAsync();
        var hiu = await host.HiuAsync();

        var found = await hiu.AcceptedAsync("/v0.5/patients/find", new { query = new { patient = new { id = address }, requester = new { type = "HIU", id = hiu.ClientId } } });
        var missing = await hiu.AcceptedAsync("/v0.5/patients/find", new { query = new { patient = new { id = "nobody" + Guid.NewGuid().ToString("N")[..6] + "@sbx" }, requester = new { type = "HIU", id = hiu.ClientId } } });

        var patient = (await hiu.CallbackAsync("/v0.5/patients/on-find", found)).Body.GetProperty("patient");
        Assert.Equal(address, patient.GetProperty("id").GetString());
        Assert.Contains(identity.LastName, patient.GetProperty("name").GetString());
        Assert.Equal("ABDM-1051", (await hiu.CallbackAsync("/v0.5/patients/on-find", missing)).Body.GetProperty("error").GetProperty("code").GetString());
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
