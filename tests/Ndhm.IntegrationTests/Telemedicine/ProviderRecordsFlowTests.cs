using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Ndhm.IntegrationTests.Pharmacy;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Telemedicine;

/// <summary>
/// Records the platform's care providers write, in the patient's health record over the real HTTP surface: a doctor's
/// consultation notes and prescription land in the PHR timeline and are linked care contexts of the doctor's facility;
/// a pharmacy's delivery puts the MedicationDispense in the timeline; retries and redeliveries add nothing twice.
/// </summary>
public sealed class ProviderRecordsFlowTests(TelemedicineHostFixture sandbox) : IClassFixture<TelemedicineHostFixture>
{
    [Fact]
    public async Task GivenAConsultationEndedWithNotesAndAPrescription_ThenBothAreInThePatientsTimeline_AndLinkedAtTheDoctorsFacility_OnceEach()
    {
        var doctor = await sandbox.DoctorAsync("Leela Menon");
        var slot = (await sandbox.PublishAsync(doctor, 1))[0];
        var (patient, _) = await sandbox.PatientAsync();
        // an ABHA address: what links are made to
        await sandbox.OkAsync(HttpMethod.Post, "v3/enrollment/enrol/abha-address", patient, new { abhaAddress = "tc" + Guid.NewGuid().ToString("N")[..12] });
        var consultation = await sandbox.BookAsync(patient, slot);
        await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{consultation}/start", doctor.Token);
        var notes = new { chiefComplaint = "Sore throat", diagnosis = "Acute pharyngitis", conditionCode = "363746003", advice = "Warm fluids" };

        await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{consultation}/end", doctor.Token, notes);
        await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{consultation}/end", doctor.Token, notes); // a retried end
        var prescription = await PrescribeAsync(doctor, consultation);

        var records = await ProviderRecordsAsync(patient);
        Assert.Equal(2, records.Count);
        var consult = records.Single(r => r.GetProperty("hiType").GetString() == "OPConsultation");
        var rx = records.Single(r => r.GetProperty("hiType").GetString() == "Prescription");
        Assert.Equal((doctor.Facility, "TC-" + consultation), (consult.GetProperty("hipId").GetString(), consult.GetProperty("careContextReference").GetString()));
        Assert.Equal((doctor.Facility, "RX-" + prescription), (rx.GetProperty("hipId").GetString(), rx.GetProperty("careContextReference").GetString()));
        Assert.False(consult.GetProperty("deletable").GetBoolean());
        var consultBundle = (await sandbox.OkAsync(HttpMethod.Get, $"v1/patients/me/health-records/{consult.GetProperty("id").GetString()}", patient))
            .GetProperty("bundle");
        Assert.Equal(("Bundle", "document"), (consultBundle.GetProperty("resourceType").GetString(), consultBundle.GetProperty("type").GetString()));
        Assert.Contains("363746003", consultBundle.GetRawText());
        var rxBundle = (await sandbox.OkAsync(HttpMethod.Get, $"v1/patients/me/health-records/{rx.GetProperty("id").GetString()}", patient))
            .GetProperty("bundle");
        Assert.True(rxBundle.TryGetProperty("signature", out _));
        Assert.Contains("MedicationRequest", rxBundle.GetRawText());

        var links = await sandbox.OkAsync(HttpMethod.Get, "v1/patients/me/links", patient);
        var atFacility = links.GetProperty("hips").EnumerateArray().Single(h => h.GetProperty("hipId").GetString() == doctor.Facility);
        Assert.Equal(new[] { "RX-" + prescription, "TC-" + consultation },
            atFacility.GetProperty("careContexts").EnumerateArray().Select(c => c.GetProperty("referenceNumber").GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.All(atFacility.GetProperty("careContexts").EnumerateArray(), c => Assert.Equal("PLATFORM", c.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task GivenAPrescriptionDeliveredByAPharmacy_ThenTheMedicationDispenseIsInThePatientsTimeline_AndARedeliveredEventAddsNothing()
    {
        var doctor = await sandbox.DoctorAsync("Farah Khan");
        var slot = (await sandbox.PublishAsync(doctor, 1))[0];
        var (patient, number) = await sandbox.PatientAsync();
        var consultation = await sandbox.BookAsync(patient, slot);
        await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{consultation}/start", doctor.Token);
        var prescription = await PrescribeAsync(doctor, consultation);
        var pharmacies = PharmacyHostFixture.Over(sandbox.Host);
        var admin = await sandbox.Gateway.AdminTokenAsync();
        var (pharmacy, pharmacyToken) = await pharmacies.PharmacyAsync(admin, "Rx Record Pharmacy");
        var world = new PharmacyWorld(pharmacies, admin, doctor.Facility, doctor.HprId, "", number, patient);
        var order = await world.OrderAsync(prescription, pharmacy, pharmacyToken);
        var steps = new[] { "ACCEPTED", "PACKED", "DISPATCHED", "DELIVERED" };
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await world.StepAsync(order, pharmacyToken, steps[i])).Status);
            await world.WaitForOrderAsync(order, o => PharmacyWorld.Has(o, steps[i], i + 2));
        }

        var delivered = await world.WaitForOrderAsync(order, o => PharmacyWorld.Has(o, "DELIVERED", 5));
        var dispensed = Assert.Single(await ProviderRecordsAsync(patient), r => r.GetProperty("hipId").GetString() == pharmacy);
        Assert.Equal(("Prescription", "DISP-" + order), (dispensed.GetProperty("hiType").GetString(), dispensed.GetProperty("careContextReference").GetString()));
        var bundle = (await sandbox.OkAsync(HttpMethod.Get, $"v1/patients/me/health-records/{dispensed.GetProperty("id").GetString()}", patient))
            .GetProperty("bundle");
        var dispense = bundle.GetProperty("entry")[0].GetProperty("resource");
        Assert.Equal(("collection", "MedicationDispense"), (bundle.GetProperty("type").GetString(), dispense.GetProperty("resourceType").GetString()));
        Assert.Equal(delivered.GetProperty("medicationDispenses")[0].GetRawText(), dispense.GetRawText());

        // The queue delivers the DELIVERED event again (at-least-once): wait until it is consumed, then nothing is added.
        var deliveredEvent = delivered.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("status").GetString() == "DELIVERED");
        var queue = await OrderQueueAsync(pharmacies, admin);
        await queue.SendMessageAsync(JsonSerializer.Serialize(new
        {
            orderId = order, eventId = deliveredEvent.GetProperty("eventId").GetString(), status = "DELIVERED", actor = "pharmacy",
            at = deliveredEvent.GetProperty("at").GetDateTimeOffset(),
        }));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(250);

        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Single(await ProviderRecordsAsync(patient), r => r.GetProperty("hipId").GetString() == pharmacy);
        Assert.Equal(5, (await world.WaitForOrderAsync(order, _ => true)).GetProperty("events").GetArrayLength());
    }

    private async Task<string> PrescribeAsync(Doctor doctor, string consultation)
    {
        var pharmacies = PharmacyHostFixture.Over(sandbox.Host);
        var token = await pharmacies.TokenAsync(doctor.HprId, "HEALTH_WORKER");
        var (status, body) = await pharmacies.CallAsync(HttpMethod.Post, $"api/v1/consultations/{consultation}/prescriptions", token,
            new { conditionCode = "J02", items = new[] { PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 9) } });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private async Task<List<JsonElement>> ProviderRecordsAsync(string patient) =>
        (await sandbox.OkAsync(HttpMethod.Get, "v1/patients/me/health-records?source=PROVIDER", patient))
        .GetProperty("records").EnumerateArray().ToList();

    private static async Task<QueueClient> OrderQueueAsync(PharmacyHostFixture pharmacies, string admin)
    {
        var poison = (await pharmacies.SendAsync(HttpMethod.Get, "api/v1/operations/pharmacy-orders/poison", admin)).GetProperty("queue").GetString()!;
        var queue = new QueueClient(SandboxEndpoints.StorageConnectionString, poison[..^"-poison".Length],
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
