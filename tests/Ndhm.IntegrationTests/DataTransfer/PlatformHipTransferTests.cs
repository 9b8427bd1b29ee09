using System.Net;
using System.Text.Json;
using Ndhm.DataTransfer;
using Ndhm.IntegrationTests.Consents;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.Pharmacy;
using Ndhm.IntegrationTests.Telemedicine;

namespace Ndhm.IntegrationTests.DataTransfer;

/// <summary>The transfer fixture's host, where doctors may start a consultation a day early (as in the telemedicine fixture).</summary>
public sealed class PlatformHipHostFixture : TransferHostFixture
{
    protected override IReadOnlyDictionary<string, string?> MoreSettings =>
        new Dictionary<string, string?>(base.MoreSettings) { ["Telemedicine__EarlyStartMinutes"] = "2880" };
}

/// <summary>
/// The platform as the HIP of the records its care providers write (issues #13, #14), over the real host and emulators:
/// a doctor holds a teleconsultation and issues a prescription (care contexts TC-/RX- the platform links at the doctor's
/// facility, which no HIP partner serves); a HIU (the sandbox's sample HIU bridge, with the test's data-push endpoint)
/// gets a consent for them, requests the data, decrypts both entries with matching checksums and, as both pass its ABDM
/// profile validation (PlatformRecordsValidityTests), keeps them as records.
/// </summary>
public sealed class PlatformHipTransferTests(PlatformHipHostFixture fixture) : IClassFixture<PlatformHipHostFixture>
{
    private const string From = "2020-01-01T00:00:00.000Z";
    private const string To = "2030-01-01T00:00:00.000Z";

    [Fact]
    public async Task GivenATeleconsultationAndAPrescription_WhenAHiuRequestsTheirCareContextsUnderConsent_ThenItDecryptsBothWithMatchingChecksums_AndTheTransferIsTransferred()
    {
        var (flow, doctor, consultation, prescription, patientReference) = await CareGivenAsync();
        var artefact = await GrantedAsync(flow, doctor, patientReference, "TC-" + consultation, "RX-" + prescription);

        var transactionId = await RequestAsync(flow, artefact, doctor.Facility);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(90));

        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
        // Each entry reached the HIU, was decrypted with its key and the platform's fresh key material, its SHA-256
        // checksum matched and the bundle passed the HIU's ABDM profile validation: the HIU keeps both as records.
        var entries = fixture.Hiu.Pages.Where(p => p.TransactionId == transactionId).SelectMany(p => p.Entries).ToList();
        Assert.Equal(["RX-" + prescription, "TC-" + consultation], entries.Select(e => e.CareContextReference).Order(StringComparer.Ordinal).ToArray());
        Assert.All(entries, e => Assert.True(e.Ok, e.Error));
        var records = fixture.Hiu.Records.Where(r => r.TransactionId == transactionId).OrderBy(r => r.CareContextReference, StringComparer.Ordinal).ToList();
        Assert.Equal([("RX-" + prescription, "Prescription"), ("TC-" + consultation, "OPConsultation")],
            records.Select(r => (r.CareContextReference, r.HiType)).ToArray());
        Assert.All(records, r => Assert.Equal((doctor.Facility, artefact), (r.HipId, r.ConsentArtefactId)));
        var outcome = Assert.Single(await flow.HiuOutcomesAsync(transactionId)).GetProperty("notification");
        Assert.Equal((doctor.Facility, "TRANSFERRED"), (outcome.GetProperty("notifier").GetProperty("id").GetString(), outcome.GetProperty("transactionStatus").GetString()));
        Assert.All(outcome.GetProperty("statusNotification").GetProperty("statusResponses").EnumerateArray(),
            s => Assert.Equal("DELIVERED", s.GetProperty("hiStatus").GetString()));
        Assert.Empty(await flow.HipRequestsAsync(transactionId)); // no partner was asked: the platform answered as the HIP
    }

    [Fact]
    public async Task GivenAConsentNamingOnlyTheTeleconsultation_WhenTheHiuRequestsData_ThenThePrescriptionIsNotSent()
    {
        var (flow, doctor, consultation, prescription, patientReference) = await CareGivenAsync();
        var artefact = await GrantedAsync(flow, doctor, patientReference, "TC-" + consultation);

        var transactionId = await RequestAsync(flow, artefact, doctor.Facility);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(90));

        Assert.Equal("TRANSFERRED", closed.GetProperty("status").GetString());
        var entry = Assert.Single(fixture.Hiu.Pages.Where(p => p.TransactionId == transactionId).SelectMany(p => p.Entries));
        Assert.Equal("TC-" + consultation, entry.CareContextReference);
        Assert.True(entry.Ok, entry.Error);
        Assert.Equal(["TC-" + consultation], fixture.Hiu.Records.Where(r => r.TransactionId == transactionId).Select(r => r.CareContextReference).ToArray());
        Assert.DoesNotContain(fixture.Hiu.Pages.SelectMany(p => p.Entries), e => e.CareContextReference == "RX-" + prescription);
        Assert.Equal(["TC-" + consultation], closed.GetProperty("careContexts").EnumerateArray()
            .Select(c => c.GetProperty("careContextReference").GetString()!).ToArray());
    }

    /// <summary>A doctor's consultation with notes and a prescription for the world's patient; the platform links both at the doctor's facility.</summary>
    private async Task<(TransferFlow Flow, Doctor Doctor, string Consultation, string Prescription, string PatientReference)> CareGivenAsync()
    {
        var world = await fixture.WorldAsync(link: false);
        var flow = new TransferFlow(fixture, world);
        var doctor = await TelemedicineHostFixture.DoctorAsync(fixture.Host, "Asha Verma");
        var slot = (await TelemedicineHostFixture.PublishAsync(fixture.Client, doctor, 1, 20, 500m))[0];
        var held = await OkAsync(HttpMethod.Post, "v1/telemedicine/init", world.PatientToken, new { slotId = slot, mode = "video" }, HttpStatusCode.Created);
        var consultation = held.GetProperty("appointmentId").GetString()!;
        await OkAsync(HttpMethod.Post, "v1/telemedicine/confirm", world.PatientToken,
            new { appointmentId = consultation, paymentReference = "upi-" + consultation[..8], teleconsultationConsent = true });
        await OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{consultation}/start", doctor.Token);
        await OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{consultation}/end", doctor.Token,
            new { chiefComplaint = "Sore throat", diagnosis = "Acute pharyngitis", conditionCode = "363746003", advice = "Warm fluids" });
        var pharmacies = PharmacyHostFixture.Over(fixture.Host);
        var (status, body) = await pharmacies.CallAsync(HttpMethod.Post, $"api/v1/consultations/{consultation}/prescriptions",
            await pharmacies.TokenAsync(doctor.HprId, "HEALTH_WORKER"), new { conditionCode = "J02", items = new[] { PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 9) } });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        var prescription = body.GetProperty("id").GetString()!;
        var links = await world.PatientAsync(HttpMethod.Get, "v1/patients/me/links");
        var atFacility = links.GetProperty("hips").EnumerateArray().Single(h => h.GetProperty("hipId").GetString() == doctor.Facility);
        Assert.Equal(["RX-" + prescription, "TC-" + consultation], atFacility.GetProperty("careContexts").EnumerateArray()
            .Select(c => c.GetProperty("referenceNumber").GetString()!).Order(StringComparer.Ordinal).ToArray());
        return (flow, doctor, consultation, prescription, atFacility.GetProperty("patientReference").GetString()!);
    }

    private static async Task<string> GrantedAsync(TransferFlow flow, Doctor doctor, string patientReference, params string[] careContexts)
    {
        var world = flow.World;
        var id = await world.RequestConsentAsync(world.Consent(hip: doctor.Facility, permissionTo: To,
            careContexts: careContexts.Select(c => (object)new { patientReference, careContextReference = c }).ToArray()));
        return (await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{id}/grant")).GetProperty("artefacts")[0].GetProperty("id").GetString()!;
    }

    /// <summary>
    /// cm/request as the HIU: the test HIU expects the transaction (its id derives from the HIU and the REQUEST-ID) as soon
    /// as the platform accepted the request, then on-request must name that transaction.
    /// </summary>
    private async Task<string> RequestAsync(TransferFlow flow, string artefact, string hipId)
    {
        var world = flow.World;
        var (response, requestId) = await world.AbdmAsync("v0.5/health-information/cm/request", world.HiuToken, new()
        {
            ["hiRequest"] = new
            {
                consent = new { id = artefact },
                dateRange = new { from = From, to = To },
                dataPushUrl = fixture.Hiu.PushUrl,
                keyMaterial = flow.HiuKeys.ToAbdm(),
            },
        });
        using (response) Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var transactionId = DataTransferService.TransactionIdFor(world.HiuClient, requestId);
        fixture.Hiu.Expect(transactionId, artefact, world.PatientAddress, hipId, flow.HiuKeys);
        var onRequest = await world.CallbackAsync("hiu", "/v0.5/health-information/hiu/on-request", b => ConsentWorld.Resp(b) == requestId, TimeSpan.FromSeconds(60));
        Assert.False(onRequest.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(transactionId, onRequest.GetProperty("hiRequest").GetProperty("transactionId").GetString());
        return transactionId;
    }

    private async Task<JsonElement> OkAsync(HttpMethod method, string path, string token, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = GatewayHostFixture.Request(method, "api/" + path, token, body);
        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
