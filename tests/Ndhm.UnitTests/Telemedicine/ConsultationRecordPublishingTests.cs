using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

public sealed class ConsultationRecordPublishingTests
{
    private static async Task<(TelemedicineRig Rig, Appointment InProgress)> InProgressAsync()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var booked = await rig.BookAsync(slot.Id);
        rig.Time.SetUtcNow(booked.Start);
        return (rig, await rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default));
    }

    [Fact]
    public async Task GivenAConsultationInProgress_WhenTheDoctorEndsItWithNotes_ThenTheOpConsultRecordGoesToThePatientsRecord_LinkedAtTheDoctorsFacility()
    {
        var (rig, consultation) = await InProgressAsync();
        rig.Time.Advance(TimeSpan.FromMinutes(10));

        var ended = await rig.Consultations.EndAsync(TelemedicineRig.Doctor, consultation.Id,
            new EndInput("Fever for 3 days", "Viral fever", "386661006", "Fluids"), default);

        var added = Assert.Single(rig.ProviderRecords.Added);
        Assert.Equal((TelemedicineRig.Patient, TelemedicineRig.Facility, "TC-" + consultation.Id, "OPConsultation", true, TelemedicineRig.Doctor),
            (added.PatientNumber, added.FacilityId, added.CareContextReference, added.HiType, added.LinkAsCareContext, added.Author));
        Assert.Equal(rig.Records.Saved[consultation.Id].Bundle, added.BundleJson);
        Assert.Equal(ended.EndedAt, added.RecordDate);
        Assert.Equal("Teleconsultation with Anita Sharma, 4 Dec 2026", added.Display);
    }

    [Fact]
    public async Task GivenAnEndedConsultation_WhenTheEndIsRetried_ThenTheSameRecordIsOfferedAgain_ForThePortToKeepOnce()
    {
        var (rig, consultation) = await InProgressAsync();
        var notes = new EndInput("Cough", null, null, null);
        await rig.Consultations.EndAsync(TelemedicineRig.Doctor, consultation.Id, notes, default);

        await rig.Consultations.EndAsync(TelemedicineRig.Doctor, consultation.Id, notes, default);

        var added = rig.ProviderRecords.Added.ToList();
        Assert.Equal(2, added.Count);
        Assert.Equal(added[0], added[1]);
    }

    [Fact]
    public async Task GivenAConsultationEndedWithoutNotes_WhenEnded_ThenNothingGoesToThePatientsRecord()
    {
        var (rig, consultation) = await InProgressAsync();

        var ended = await rig.Consultations.EndAsync(TelemedicineRig.Doctor, consultation.Id, new EndInput(null, null, null, null), default);

        Assert.Equal(AppointmentStatus.Completed, ended.Status);
        Assert.Empty(rig.ProviderRecords.Added);
    }
}
