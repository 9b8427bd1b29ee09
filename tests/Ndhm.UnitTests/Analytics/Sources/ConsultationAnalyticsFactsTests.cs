using Ndhm.Analytics;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Telemedicine;
using Ndhm.UnitTests.Telemedicine;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class ConsultationAnalyticsFactsTests
{
    private readonly TelemedicineRig rig = new();
    private readonly RecordingFacts facts = new();

    private async Task<Appointment> ConfirmedAsync(string mode = "audio")
    {
        var slots = await rig.PublishAsync(1);
        return await rig.BookAsync(slots[0].Id, mode: mode);
    }

    [Fact]
    public async Task GivenAConsultation_WhenItStartsAndEnds_ThenOneFactBySpecialtyModeAndFacility_OnlyAtTheEnd()
    {
        var confirmed = await ConfirmedAsync();
        var store = new ConsultationAnalyticsFacts(rig.Appointments, facts);
        var found = (await rig.Appointments.FindAsync(confirmed.Id, CancellationToken.None))!;
        var now = confirmed.Start.AddMinutes(1);

        var begun = found.Value.Begin(now);
        var etag = await store.ReplaceAsync(begun, found.ETag, CancellationToken.None);
        var afterBegin = facts.Stored.Count;
        var ended = begun.Finish(now.AddMinutes(12), null, null);
        etag = await store.ReplaceAsync(ended, etag, CancellationToken.None);
        await store.ReplaceAsync(ended with { NotesRecordId = "rec-1" }, etag, CancellationToken.None);

        Assert.Equal(0, afterBegin);
        var fact = Assert.Single(facts.Stored.Values);
        Assert.Equal(AnalyticsFactIds.For(ConsultationAnalyticsFacts.Measure, confirmed.Id), fact.Id);
        Assert.Equal($"unknown|unknown|unknown|{FactSlug(confirmed.Specialty)}|audio", RecordingFacts.Normalised(fact).Cell);
        Assert.Equal("unknown|" + confirmed.FacilityId, RecordingFacts.Normalised(fact).Facility);
        Assert.DoesNotContain(fact.Dimensions.Values, v => v == confirmed.PatientNumber || v == confirmed.DoctorHprId);
    }

    [Fact]
    public async Task GivenACancelledAppointment_WhenWritten_ThenNoFact()
    {
        var confirmed = await ConfirmedAsync();

        var cancelled = confirmed.Cancel("patient", "changed plans", null, confirmed.Start.AddHours(-2));

        Assert.Null(ConsultationAnalyticsFacts.FactOf(cancelled));
    }

    [Theory]
    [InlineData("General Medicine", "general-medicine")]
    [InlineData("  ENT / Head & Neck  ", "ent-head-neck")]
    [InlineData("Paediatrics (child health) 2", "paediatrics-child-health")]
    [InlineData("123", null)]
    public void GivenAFreeTextSpecialty_WhenCoded_ThenOnlyLowerCaseLettersAndHyphensRemain(string text, string? code)
    {
        var appointment = new Appointment
        {
            Id = "a1", SlotId = "s1", DoctorHprId = "71234567890123", DoctorName = "Dr. A", FacilityId = "IN2810000001", PatientNumber = "91123456789012",
            Mode = ConsultationMode.Chat, Specialty = text, Start = DateTimeOffset.UnixEpoch, DurationMinutes = 15, FeePaise = 0,
            Status = AppointmentStatus.Completed, CreatedAt = DateTimeOffset.UnixEpoch, HoldExpiresAt = DateTimeOffset.UnixEpoch,
            EndedAt = DateTimeOffset.UnixEpoch.AddMinutes(15),
        };

        var fact = ConsultationAnalyticsFacts.FactOf(appointment)!;

        Assert.Equal(code, fact.Dimensions["specialty"]);
        Assert.Equal(new DateOnly(1970, 1, 1), fact.Day);
    }

    private static string FactSlug(string specialty) => string.Join('-', specialty.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
