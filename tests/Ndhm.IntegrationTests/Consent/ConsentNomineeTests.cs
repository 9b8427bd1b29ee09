using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;

namespace Ndhm.IntegrationTests.Consents;

/// <summary>
/// A nominee deciding for a patient (DPDP Act s.14): Health ID's nominations behind the consent manager's nominee port.
/// Until an admin activates the nomination the nominee is refused; afterwards their grant stands, the HIU is told, and
/// the patient's audit trail names the nominee as the one who acted; the consent is in the patient's data export only.
/// </summary>
public sealed class ConsentNomineeTests(ConsentHostFixture sandbox) : IClassFixture<ConsentHostFixture>
{
    [Fact]
    public async Task GivenANamedNominee_WhenTheyGrantBeforeAndAfterAnAdminActivatesTheNomination_ThenRefusedFirst_ThenGrantedAndAuditedAsTheNominee()
    {
        var world = await sandbox.WorldAsync();
        var nominee = await HealthIdApi.EnrolAsync(sandbox.Client, sandbox.NextIdentity());
        var nomineeHandle = "nominee" + Guid.NewGuid().ToString("N")[..10];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address",
            new { abhaAddress = nomineeHandle }, HealthIdApi.Token(nominee)));
        await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(sandbox.Client, HttpMethod.Put, "v1/patients/me/nominee", world.PatientToken,
            new { abhaAddress = nomineeHandle + "@sbx", name = "Nominee Person", relationship = "SPOUSE" }));
        var id = await world.RequestConsentAsync();

        using var beforeActivation = await GrantAsNomineeAsync(HealthIdApi.Token(nominee), world.PatientNumber, id);
        var admin = await sandbox.Gateway.AdminTokenAsync();
        await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(sandbox.Client, HttpMethod.Post,
            $"v1/admin/patients/{Digits(world.PatientNumber)}/nominee/activate", admin, new { reason = "INCAPACITY", evidenceReference = "MB/2026/2201" }));
        using var afterActivation = await GrantAsNomineeAsync(HealthIdApi.Token(nominee), world.PatientNumber, id);
        var granted = JsonDocument.Parse(await afterActivation.Content.ReadAsStringAsync()).RootElement;
        var trail = await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(sandbox.Client, HttpMethod.Get, "v1/patients/me/audit-trail?pageSize=50", world.PatientToken));
        var export = await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(sandbox.Client, HttpMethod.Get, "v1/patients/me/export", world.PatientToken));
        var nomineeExport = await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(sandbox.Client, HttpMethod.Get, "v1/patients/me/export", HealthIdApi.Token(nominee)));

        Assert.Equal(HttpStatusCode.Forbidden, beforeActivation.StatusCode);
        Assert.True(afterActivation.StatusCode == HttpStatusCode.OK, granted.ToString());
        Assert.Equal("GRANTED", granted.GetProperty("status").GetString());
        await world.HiuNotificationAsync(id, "GRANTED");
        var grant = trail.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "consent.granted");
        Assert.Equal(Digits(HealthIdApi.Number(nominee)), Digits(grant.GetProperty("actor").GetString()!));
        var exported = Assert.Single(export.GetProperty("consents").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        Assert.Equal("GRANTED", exported.GetProperty("status").GetString());
        Assert.Equal(granted.GetProperty("artefacts")[0].GetProperty("id").GetString(), exported.GetProperty("artefacts")[0].GetProperty("id").GetString());
        Assert.Empty(nomineeExport.GetProperty("consents").EnumerateArray()); // the nominee's own export holds none of the patient's consents
    }

    private async Task<HttpResponseMessage> GrantAsNomineeAsync(string nomineeToken, string patientNumber, string consentRequestId)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", nomineeToken);
        request.Headers.Add("X-On-Behalf-Of", patientNumber);
        return await sandbox.Client.SendAsync(request);
    }

    private static string Digits(string number) => number.Replace("-", "", StringComparison.Ordinal);
}
