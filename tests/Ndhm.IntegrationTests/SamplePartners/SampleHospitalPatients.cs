using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>
/// A patient the sample hospital has on its records (registered at its counter with her Health ID profile's mobile,
/// gender and year of birth, which is how it matches her at discovery), and her own linking of a visit there with the
/// OTP the hospital texts her: discover, link, confirm, as the web app and a PHR app do.
/// </summary>
public sealed partial class SampleHospitalPatients(SamplePartnersFixture sandbox)
{
    /// <summary>Registers the patient holding <paramref name="token"/> at the hospital with one visit per reference (Prescription records); her MRN.</summary>
    public async Task<string> RegisterAsync(string token, params string[] visits)
    {
        var profile = await sandbox.PatientAsync(token, HttpMethod.Get, "v3/profile/account", null, HttpStatusCode.OK);
        var mrn = "HOSP-T-" + Guid.NewGuid().ToString("N")[..8];
        await sandbox.Partners.PostAsync("hospital/patients", new
        {
            referenceNumber = mrn,
            name = $"{profile.GetProperty("firstName").GetString()} {profile.GetProperty("lastName").GetString()}",
            gender = profile.GetProperty("gender").GetString(),
            yearOfBirth = int.Parse(YearPattern().Match(profile.GetProperty("dob").GetString()!).Value, CultureInfo.InvariantCulture),
            mobile = profile.GetProperty("mobile").GetString(),
            careContexts = visits.Select(v => new { referenceNumber = v, display = "OPD visit " + v, hiTypes = new[] { "Prescription" } }).ToArray(),
        }, HttpStatusCode.OK);
        return mrn;
    }

    /// <summary>The patient discovers her records at the hospital and links <paramref name="careContext"/> with the hospital's OTP.</summary>
    public async Task LinkAsync(string token, string hipId, string mobile, string careContext)
    {
        var txn = (await sandbox.PatientAsync(token, HttpMethod.Post, "v1/patients/me/discover", new { hipId }, HttpStatusCode.Accepted))
            .GetProperty("transactionId").GetString()!;
        var discovery = await sandbox.PatientUntilAsync(token, $"v1/patients/me/discoveries/{txn}", d => d.GetProperty("status").GetString() != "PENDING");
        Assert.True(discovery.GetProperty("status").GetString() == "FOUND", discovery.ToString());
        var linkRequest = (await sandbox.PatientAsync(token, HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = new[] { careContext } },
            HttpStatusCode.Accepted)).GetProperty("linkRequestId").GetString()!;
        var awaiting = await sandbox.PatientUntilAsync(token, $"v1/patients/me/link-requests/{linkRequest}", r => r.GetProperty("status").GetString() != "REQUESTED");
        Assert.True(awaiting.GetProperty("status").GetString() == "AWAITING_OTP", awaiting.ToString());
        var linkRef = awaiting.GetProperty("linkRefNumber").GetString()!;
        var sms = (await sandbox.Partners.GetAsync($"hospital/sms?mobile={mobile}")).GetProperty("messages").EnumerateArray()
            .Single(m => m.GetProperty("linkRefNumber").GetString() == linkRef);
        await sandbox.PatientAsync(token, HttpMethod.Post, $"v1/patients/me/links/{linkRef}/confirm", new { otp = sms.GetProperty("otp").GetString() }, HttpStatusCode.Accepted);
        await sandbox.PatientUntilAsync(token, $"v1/patients/me/link-requests/{linkRequest}", r => r.GetProperty("status").GetString() == "LINKED");
    }

    [GeneratedRegex(@"\d{4}")]
    private static partial Regex YearPattern();
}
