using System.Globalization;
using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.HealthId;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>The sample partners against a host where doctors may start a day early, so a slot the teleclinic published for later today can be consulted now.</summary>
public sealed class TeleclinicPartnersFixture : SamplePartnersFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Telemedicine__EarlyStartMinutes"] = "2880",
    };
}

/// <summary>
/// Issue #14's whole story over HTTP with the sample partners process: the patient books a slot the sample teleclinic
/// published, the clinic's desk starts and ends the consultation with the doctor's notes and prescribes, the patient
/// shares the prescription with the sample pharmacy, which quotes and moves the order along through its bridge to
/// DELIVERED; the patient's record holds the consultation note, the prescription and the MedicationDispense.
/// </summary>
public sealed class TeleconsultationToDeliveryTests(TeleclinicPartnersFixture sandbox, ITestOutputHelper output) : IClassFixture<TeleclinicPartnersFixture>
{
    [Fact]
    public async Task GivenTheTeleclinicsPublishedSlot_WhenThePatientBooksAndTheDeskConsultsAndPrescribes_ThenTheSamplePharmacyDeliversAndTheRecordHoldsTheDispense()
    {
        var partners = sandbox.Partners;
        var clinic = await partners.PartnerAsync("teleclinic");
        var clinicFacility = clinic.GetProperty("facilityId").GetString()!;
        var doctor = clinic.GetProperty("doctors").EnumerateArray().Single(d => d.GetProperty("key").GetString() == "general");
        var hprId = doctor.GetProperty("hprId").GetString()!;
        var pharmacyFacility = (await partners.PartnerAsync("pharmacy")).GetProperty("facilityId").GetString()!;
        var slot = (await partners.GetAsync("teleclinic/slots")).GetProperty("slots").EnumerateArray()
            .First(s => s.GetProperty("doctorHprId").GetString() == hprId && s.GetProperty("state").GetString() == "open"
                && s.GetProperty("start").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));
        var (slotId, start) = (slot.GetProperty("slotId").GetString()!, slot.GetProperty("start").GetDateTimeOffset());
        var patient = await PatientAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<string>();
        void Phase(string name)
        {
            phases.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {clock.ElapsedMilliseconds} ms"));
            clock.Restart();
        }

        // The patient finds the clinic's slot in the UHI search and books it.
        static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var offers = await sandbox.PatientAsync(patient, HttpMethod.Post, "v1/telemedicine/search", new
        {
            specialty = "General Medicine", language = "Marathi", doctorName = "Kavita", earliestStart = Iso(start), latestStart = Iso(start.AddMinutes(1)), limit = 50,
        });
        var offer = offers.GetProperty("offers").EnumerateArray().Single(o => o.GetProperty("slotId").GetString() == slotId);
        Assert.Equal((clinicFacility, 400m), (offer.GetProperty("facilityId").GetString(), offer.GetProperty("feeInr").GetDecimal()));
        var held = await sandbox.PatientAsync(patient, HttpMethod.Post, "v1/telemedicine/init", new { slotId, mode = "video" }, HttpStatusCode.Created);
        var appointment = held.GetProperty("appointmentId").GetString()!;
        await sandbox.PatientAsync(patient, HttpMethod.Post, "v1/telemedicine/confirm",
            new { appointmentId = appointment, paymentReference = "upi-" + appointment[..8], teleconsultationConsent = true });

        Phase("booking (search, init, confirm)");

        // The clinic's desk sees the booking (it asks the platform: nothing is pushed to a provider), consults and prescribes.
        var booked = (await partners.GetAsync("teleclinic/appointments")).GetProperty("appointments").EnumerateArray()
            .Single(a => a.GetProperty("appointmentId").GetString() == appointment);
        Assert.Equal(("CONFIRMED", hprId), (booked.GetProperty("status").GetString(), booked.GetProperty("doctorHprId").GetString()));
        Assert.Equal("IN_PROGRESS", (await partners.PostAsync($"teleclinic/consultations/{appointment}/start", new { }, HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.StartsWith("ey", (await partners.PostAsync($"teleclinic/consultations/{appointment}/join-token", new { }, HttpStatusCode.OK)).GetProperty("token").GetString());
        await PutNotesAsync(appointment, new { chiefComplaint = "Sore throat and fever", diagnosis = "Acute pharyngitis", conditionCode = "363746003", advice = "Warm fluids, rest" });
        using (var garbled = await partners.Client.PostAsync($"teleclinic/consultations/{appointment}/end",
                   new StringContent("{\"diagnosis\": ", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(garbled.StatusCode == HttpStatusCode.BadRequest, await garbled.Content.ReadAsStringAsync());
        }

        var ended = await partners.PostAsync($"teleclinic/consultations/{appointment}/end", new { }, HttpStatusCode.OK);
        Assert.Equal(("COMPLETED", true), (ended.GetProperty("status").GetString(), ended.GetProperty("hasRecord").GetBoolean()));
        var note = await partners.GetAsync($"teleclinic/consultations/{appointment}/record");
        Assert.Contains("363746003", note.GetRawText()); // the notes written at the desk, not the empty end body
        var refused = await partners.PostAsync($"teleclinic/consultations/{appointment}/prescriptions", new { items = new[] { Item("SAMPLE-MET-500-TAB", 60) } },
            HttpStatusCode.BadRequest);
        Assert.Equal("TPG_LIST_B_NEEDS_FOLLOW_UP_FOR_SAME_CONDITION", refused.GetProperty("code").GetString());
        var prescription = (await partners.PostAsync($"teleclinic/consultations/{appointment}/prescriptions", new
        {
            conditionCode = "J02",
            items = new[] { Item("SAMPLE-AMOX-500-CAP", 15), Item("SAMPLE-PCM-500-TAB", 9) },
        }, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        using (var unknown = await partners.Client.GetAsync($"teleclinic/consultations/{Guid.NewGuid()}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Phase("desk (appointments, start, join, notes, end, refused + issued prescription, unknown id)");

        // The patient shares the signed prescription with the sample pharmacy, which quotes; the patient orders.
        var signed = await sandbox.PatientAsync(patient, HttpMethod.Get, $"v1/prescriptions/{prescription}");
        Assert.True(signed.GetProperty("document").TryGetProperty("signature", out _));
        var share = (await sandbox.PatientAsync(patient, HttpMethod.Post, $"v1/patients/me/prescriptions/{prescription}/shares", new { pharmacyId = pharmacyFacility },
            HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var quoted = await sandbox.PatientUntilAsync(patient, $"v1/patients/me/prescription-shares/{share}",
            s => s.GetProperty("pharmacies").EnumerateArray().Any(p => p.TryGetProperty("quote", out var q) && q.ValueKind == JsonValueKind.Object),
            TimeSpan.FromSeconds(60));
        Assert.Equal(6.5m * 15 + 1.2m * 9, quoted.GetProperty("pharmacies")[0].GetProperty("quote").GetProperty("total").GetDecimal());
        Phase("share until the pharmacy's quote");
        var order = (await sandbox.PatientAsync(patient, HttpMethod.Post, $"v1/patients/me/prescription-shares/{share}/orders", new { pharmacyId = pharmacyFacility },
            HttpStatusCode.Created)).GetProperty("id").GetString()!;

        // The pharmacy accepts, packs, dispatches and delivers, one step per notification its bridge receives.
        var delivered = await sandbox.PatientUntilAsync(patient, $"v1/patients/me/pharmacy-orders/{order}", o => o.GetProperty("status").GetString() == "DELIVERED",
            TimeSpan.FromMinutes(2));
        Phase("order until DELIVERED (4 pharmacy steps through its bridge)");
        output.WriteLine(string.Join("; ", phases));
        Assert.Equal(new[] { "PLACED", "ACCEPTED", "PACKED", "DISPATCHED", "DELIVERED" },
            delivered.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToArray());
        Assert.Equal(2, delivered.GetProperty("medicationDispenses").GetArrayLength());
        var records = (await sandbox.PatientUntilAsync(patient, "v1/patients/me/health-records?source=PROVIDER",
            r => r.GetProperty("records").GetArrayLength() >= 3, TimeSpan.FromSeconds(60))).GetProperty("records").EnumerateArray()
            .Select(r => (r.GetProperty("hiType").GetString(), r.GetProperty("hipId").GetString(), r.GetProperty("careContextReference").GetString()))
            .ToHashSet();
        Assert.Equal(new HashSet<(string?, string?, string?)>
        {
            ("OPConsultation", clinicFacility, "TC-" + appointment),
            ("Prescription", clinicFacility, "RX-" + prescription),
            ("Prescription", pharmacyFacility, "DISP-" + order),
        }, records);
    }

    [Fact]
    public async Task GivenTheTeleclinicsPublishedAvailability_WhenTheDeskAsksForItAgain_ThenOnlyWhatIsMissingIsPublished_WithoutGapsOrOverlaps()
    {
        var partners = sandbox.Partners;

        var again = await partners.PostAsync("teleclinic/availability", new { hours = 4 }, HttpStatusCode.OK);
        using var unknown = await partners.Client.PostAsync("teleclinic/availability",
            new StringContent("""{"doctor":"nobody"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // Asked again minutes after the start: at most the slot or two whose boundary passed meanwhile, never a 409 overlap.
        Assert.All(again.GetProperty("doctors").EnumerateArray(), d =>
        {
            Assert.True(d.GetProperty("status").GetInt32() is 200 or 201, d.ToString());
            Assert.InRange(d.GetProperty("published").GetInt32(), 0, 2);
        });
        var slots = (await partners.GetAsync("teleclinic/slots")).GetProperty("slots").EnumerateArray().ToList();
        foreach (var doctor in (await partners.GetAsync("teleclinic/doctors")).GetProperty("doctors").EnumerateArray())
        {
            var own = slots.Where(s => s.GetProperty("doctorHprId").GetString() == doctor.GetProperty("hprId").GetString())
                .Select(s => (Start: s.GetProperty("start").GetDateTimeOffset(), Minutes: s.GetProperty("durationMinutes").GetInt32(),
                    Fee: s.GetProperty("feeInr").GetDecimal(), Specialty: s.GetProperty("specialty").GetString()))
                .ToList();
            Assert.True(own.Count > 0, $"no slots for {doctor}");
            Assert.All(own, s => Assert.Equal((doctor.GetProperty("slotMinutes").GetInt32(), doctor.GetProperty("feeInr").GetDecimal(), doctor.GetProperty("specialty").GetString()),
                (s.Minutes, s.Fee, s.Specialty)));
            Assert.All(own.Zip(own.Skip(1)), pair => Assert.Equal(pair.First.Start.AddMinutes(pair.First.Minutes), pair.Second.Start));
            Assert.True(own[^1].Start.AddMinutes(own[^1].Minutes) >= DateTimeOffset.UtcNow.AddHours(4), $"{doctor}: availability ends at {own[^1].Start}");
        }
    }

    private static object Item(string drugCode, int quantity) =>
        new { drugCode, dosage = "1 unit", frequencyPerDay = 3, durationDays = Math.Max(1, quantity / 3), quantity, substitutionAllowed = true };

    private async Task PutNotesAsync(string appointment, object notes)
    {
        using var response = await sandbox.Partners.Client.PutAsync($"teleclinic/consultations/{appointment}/notes",
            new StringContent(JsonSerializer.Serialize(notes), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> PatientAsync() => HealthIdApi.Token(await HealthIdApi.EnrolAsync(sandbox.Client, sandbox.NextIdentity()));
}
