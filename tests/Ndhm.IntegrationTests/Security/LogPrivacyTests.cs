using System.Net;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Security;

/// <summary>
/// A host logging at Debug for its own categories, whose first KYC identity has a name, address and birth date no
/// other text contains, so any of them in a log line can only be a leak.
/// </summary>
public sealed class VerboseLoggingHostFixture : HealthIdHostFixture
{
    public const string FirstName = "Zorawarqx";
    public const string AddressLine = "17 Quillfeather Marg";
    public static readonly DateOnly BirthDate = new(1987, 11, 23);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Logging__LogLevel__Default"] = "Debug",
        ["HealthId__Kyc__Identities__0__FirstName"] = FirstName,
        ["HealthId__Kyc__Identities__0__AddressLine"] = AddressLine,
        ["HealthId__Kyc__Identities__0__BirthDate"] = BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Every line the host process wrote to stdout and stderr so far.</summary>
    public string[] LogLines => Host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

public sealed class LogPrivacyTests(VerboseLoggingHostFixture sandbox) : IClassFixture<VerboseLoggingHostFixture>
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task GivenAFullPatientJourney_WhenTheHostLogsAtDebug_ThenNoLogLineCarriesThePatientsPersonalData()
    {
        // Arrange: the identity the fixture gave the distinctive name, address and birth date.
        var identity = sandbox.Identities[0];
        var handle = "logpriv" + Guid.NewGuid().ToString("N")[..8];

        // Act: enrolment, an ABHA address, login by number and mobile, partner lookups (one refused), profile update,
        // a nominee and the export.
        var enrolled = await EnrolAsync(Client, identity);
        var number = Number(enrolled);
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(enrolled)));
        foreach (var (hint, id) in new[] { ("abha-number", number), ("mobile", identity.Mobile) })
        {
            var txnId = await RequestOtpAsync(Client, "v3/profile/login/request/otp", hint, id);
            var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
            await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(txnId, otp) }));
        }

        var hip = await SandboxHostFixture.TokenForAsync(Client, "logpriv-hip-" + Guid.NewGuid().ToString("N")[..8], Roles.Hip);
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{number}", hip));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{handle}@sbx", hip));
        using (var refused = await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{number}", Token(enrolled)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await OkJsonAsync(await SendAsync(Client, HttpMethod.Patch, "v3/profile/account", Token(enrolled), new { email = "zq.patient@example.org" }));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", Token(enrolled)));

        // The data rights: a nominee named and read, and the export of everything (the patient's data in one body).
        var nominee = await EnrolAsync(Client, sandbox.Identities[1]);
        var nomineeHandle = "logprivn" + Guid.NewGuid().ToString("N")[..8];
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = nomineeHandle }, Token(nominee)));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Put, "v1/patients/me/nominee", Token(enrolled),
            new { abhaAddress = nomineeHandle + "@sbx", name = "Nominee Person", relationship = "SIBLING" }));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v1/patients/me/nominee", Token(enrolled)));
        var export = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v1/patients/me/export", Token(enrolled)));
        Assert.Equal(VerboseLoggingHostFixture.FirstName, export.GetProperty("profile").GetProperty("name").GetProperty("firstName").GetString());

        // Assert
        var profile = enrolled.GetProperty("ABHAProfile");
        Assert.Equal(VerboseLoggingHostFixture.FirstName, profile.GetProperty("firstName").GetString());
        var matcher = new PersonalDataMatcher(new PersonalData(VerboseLoggingHostFixture.FirstName, identity.LastName, identity.Mobile,
            identity.Aadhaar, VerboseLoggingHostFixture.AddressLine, VerboseLoggingHostFixture.BirthDate, number));
        var lines = sandbox.LogLines;
        Assert.Contains(lines, l => l.Contains("\"LogLevel\":\"Debug\"", StringComparison.Ordinal));
        var leaks = lines
            .Select(line => (Line: line, Found: matcher.Find(line)))
            .Where(l => l.Found.Count > 0)
            .Select(l => $"[{string.Join(", ", l.Found)}] {l.Line}")
            .ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {lines.Length} log lines carry personal data:\n" + string.Join("\n", leaks.Take(20)));
    }
}
