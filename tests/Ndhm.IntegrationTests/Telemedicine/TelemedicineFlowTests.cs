using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Telemedicine;

/// <summary>Teleconsultations over the real HTTP surface: availability, the UHI booking steps, the consultation, owner checks and refusals.</summary>
public sealed class TelemedicineFlowTests(TelemedicineHostFixture sandbox) : IClassFixture<TelemedicineHostFixture>
{
    [Fact]
    public async Task GivenTwoPatientsRacingForOneSlot_ThenOneGetsTheBookingAndTheOtherA409NamingTheSlot()
    {
        var doctor = await sandbox.DoctorAsync();
        var slot = (await sandbox.PublishAsync(doctor, 1))[0];
        var (first, _) = await sandbox.PatientAsync();
        var (second, _) = await sandbox.PatientAsync();

        var responses = await Task.WhenAll(
            sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/init", first, new { slotId = slot, mode = "video" }),
            sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/init", second, new { slotId = slot, mode = "video" }));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var conflict = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await conflict.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("SLOT_TAKEN", problem.GetProperty("code").GetString());
        Assert.Equal(slot, problem.GetProperty("slotId").GetString());
        var winner = JsonDocument.Parse(await responses.Single(r => r.StatusCode == HttpStatusCode.Created).Content.ReadAsStringAsync()).RootElement;
        var slots = await sandbox.OkAsync(HttpMethod.Get, "v1/telemedicine/slots", doctor.Token);
        var listed = slots.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("slotId").GetString() == slot);
        Assert.Equal(("held", winner.GetProperty("appointmentId").GetString()), (listed.GetProperty("state").GetString(), listed.GetProperty("appointmentId").GetString()));
        foreach (var r in responses) r.Dispose();
    }

    [Fact]
    public async Task GivenAPublishedSlot_WhenAPatientSearchesBooksAndTheDoctorConsults_ThenTheRecordIsThePatientsEncryptedOpConsultRecord()
    {
        var doctor = await sandbox.DoctorAsync("Kavya Reddy");
        var slots = await sandbox.PublishAsync(doctor, 2, fee: 350m);
        var (patient, number) = await sandbox.PatientAsync();

        var offers = await sandbox.OkAsync(HttpMethod.Post, "v1/telemedicine/search", patient, new { doctorName = "kavya", language = "telugu", maxFeeInr = 400 });
        Assert.Equal(slots, offers.GetProperty("offers").EnumerateArray().Where(o => o.GetProperty("doctorHprId").GetString() == doctor.HprId)
            .Select(o => o.GetProperty("slotId").GetString()!));
        var quote = await sandbox.OkAsync(HttpMethod.Post, "v1/telemedicine/select", patient, new { slotId = slots[0] });
        Assert.Equal(350m, quote.GetProperty("priceInr").GetDecimal());
        var id = await sandbox.BookAsync(patient, slots[0]);
        var status = await sandbox.OkAsync(HttpMethod.Post, "v1/telemedicine/status", patient, new { appointmentId = id });
        Assert.Equal("CONFIRMED", status.GetProperty("status").GetString());
        Assert.True(status.TryGetProperty("teleconsultationConsent", out _));

        var started = await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/start", doctor.Token);
        var join = await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/join-token", patient);
        var ended = await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/end", doctor.Token,
            new { chiefComplaint = "Cough for a week", diagnosis = "Acute bronchitis", conditionCode = "10509002", advice = "Steam inhalation" });
        var record = await sandbox.OkAsync(HttpMethod.Get, $"v1/telemedicine/consultations/{id}/record", patient);

        Assert.Equal("IN_PROGRESS", started.GetProperty("status").GetString());
        Assert.Equal("consultation:" + id, join.GetProperty("audience").GetString());
        Assert.Equal(("COMPLETED", true), (ended.GetProperty("status").GetString(), ended.GetProperty("hasRecord").GetBoolean()));
        Assert.Equal(("Bundle", "document"), (record.GetProperty("resourceType").GetString(), record.GetProperty("type").GetString()));
        Assert.Contains("10509002", record.GetRawText());

        var container = SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, "telemedicine");
        var appointmentDoc = (await container.ReadItemAsync<JsonElement>("appointment:" + id, new PartitionKey("appointment:" + id))).Resource.GetRawText();
        var recordDoc = (await container.ReadItemAsync<JsonElement>("consultation-record:" + id, new PartitionKey("consultation-record:" + id))).Resource;
        Assert.StartsWith("enc:v1:", recordDoc.GetProperty("bundle").GetString());
        Assert.DoesNotContain("Acute bronchitis", recordDoc.GetRawText());
        Assert.StartsWith("enc:v1:", JsonDocument.Parse(appointmentDoc).RootElement.GetProperty("record").GetString());
        Assert.DoesNotContain("upi-", appointmentDoc);
        Assert.DoesNotContain(number, JsonDocument.Parse(appointmentDoc).RootElement.GetProperty("patientKey").GetString());
    }

    [Fact]
    public async Task GivenAnAppointment_WhenAnotherDoctorOrAnotherPatientTouchesIt_Then404AndNothingChanges()
    {
        var doctor = await sandbox.DoctorAsync();
        var other = await sandbox.DoctorAsync("Vikram Rao");
        var slot = (await sandbox.PublishAsync(doctor, 1))[0];
        var (patient, _) = await sandbox.PatientAsync();
        var (stranger, _) = await sandbox.PatientAsync();
        var id = await sandbox.BookAsync(patient, slot);

        var refused = new[]
        {
            await sandbox.SendAsync(HttpMethod.Get, $"v1/telemedicine/consultations/{id}", other.Token),
            await sandbox.SendAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/start", other.Token),
            await sandbox.SendAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/cancel", other.Token),
            await sandbox.SendAsync(HttpMethod.Post, $"v1/telemedicine/slots/{slot}/withdraw", other.Token),
            await sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/status", stranger, new { appointmentId = id }),
            await sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/cancel", stranger, new { appointmentId = id }),
            await sandbox.SendAsync(HttpMethod.Get, $"v1/telemedicine/consultations/{id}", stranger),
            await sandbox.SendAsync(HttpMethod.Post, $"v1/telemedicine/consultations/{id}/join-token", stranger),
        };

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.All(refused, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType!.MediaType));
        var doctorsList = await sandbox.OkAsync(HttpMethod.Get, "v1/telemedicine/doctor/appointments", other.Token);
        Assert.Empty(doctorsList.GetProperty("appointments").EnumerateArray());
        var strangersList = await sandbox.OkAsync(HttpMethod.Get, "v1/patients/me/teleconsultations", stranger);
        Assert.Empty(strangersList.GetProperty("appointments").EnumerateArray());
        var mine = await sandbox.OkAsync(HttpMethod.Get, "v1/telemedicine/doctor/appointments", doctor.Token);
        Assert.Equal(id, Assert.Single(mine.GetProperty("appointments").EnumerateArray()).GetProperty("appointmentId").GetString());
        var unchanged = await sandbox.OkAsync(HttpMethod.Post, "v1/telemedicine/status", patient, new { appointmentId = id });
        Assert.Equal("CONFIRMED", unchanged.GetProperty("status").GetString());
        foreach (var r in refused) r.Dispose();
    }

    [Fact]
    public async Task GivenBadInput_ThenProblemJsonWithACodeAndNothingIsStored()
    {
        var doctor = await sandbox.DoctorAsync();
        var (patient, _) = await sandbox.PatientAsync();
        var from = DateTimeOffset.UtcNow.AddDays(2);
        from = new DateTimeOffset(from.Year, from.Month, from.Day, 10, 0, 0, TimeSpan.Zero);
        var badFee = JsonSerializer.SerializeToElement(TelemedicineHostFixture.Availability(doctor, from, 2, 10.555m));

        using var publish = await sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/slots", doctor.Token, badFee);
        using var partnerSession = await sandbox.SendAsync(HttpMethod.Get, "v1/telemedicine/slots", patient);
        using var init = await sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/init", patient, new { slotId = "nope", mode = "video" });
        using var confirm = await sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/confirm", patient,
            new { appointmentId = Guid.NewGuid(), paymentReference = "upi-1", teleconsultationConsent = false });

        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_AVAILABILITY"), (publish.StatusCode, await CodeAsync(publish)));
        Assert.Equal(HttpStatusCode.Forbidden, partnerSession.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_SLOT_ID"), (init.StatusCode, await CodeAsync(init)));
        Assert.Equal((HttpStatusCode.BadRequest, "TELECONSULTATION_CONSENT_REQUIRED"), (confirm.StatusCode, await CodeAsync(confirm)));
        var slots = await sandbox.OkAsync(HttpMethod.Get, "v1/telemedicine/slots", doctor.Token);
        Assert.Empty(slots.GetProperty("slots").EnumerateArray());
        Assert.Empty((await sandbox.OkAsync(HttpMethod.Get, "v1/patients/me/teleconsultations", patient)).GetProperty("appointments").EnumerateArray());
    }

    [Fact]
    public async Task GivenABookedSlot_WhenTheDoctorWithdrawsItOrPublishesOverIt_Then409AndTheBookingStands()
    {
        var doctor = await sandbox.DoctorAsync();
        var slots = await sandbox.PublishAsync(doctor, 2);
        var (patient, _) = await sandbox.PatientAsync();
        var id = await sandbox.BookAsync(patient, slots[0]);
        var start = (await sandbox.OkAsync(HttpMethod.Post, "v1/telemedicine/status", patient, new { appointmentId = id })).GetProperty("start").GetDateTimeOffset();

        using var withdraw = await sandbox.SendAsync(HttpMethod.Post, $"v1/telemedicine/slots/{slots[0]}/withdraw", doctor.Token);
        using var overlap = await sandbox.SendAsync(HttpMethod.Post, "v1/telemedicine/slots", doctor.Token,
            TelemedicineHostFixture.Availability(doctor, start.AddMinutes(-5), 1));
        var withdrawnFree = await sandbox.OkAsync(HttpMethod.Post, $"v1/telemedicine/slots/{slots[1]}/withdraw", doctor.Token);

        Assert.Equal((HttpStatusCode.Conflict, "SLOT_BOOKED"), (withdraw.StatusCode, await CodeAsync(withdraw)));
        Assert.Equal((HttpStatusCode.Conflict, "SLOT_OVERLAP"), (overlap.StatusCode, await CodeAsync(overlap)));
        Assert.Equal("withdrawn", withdrawnFree.GetProperty("state").GetString());
        var status = await sandbox.OkAsync(HttpMethod.Post, "v1/telemedicine/status", patient, new { appointmentId = id });
        Assert.Equal("CONFIRMED", status.GetProperty("status").GetString());
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
    }
}
