using System.Text.Json;
using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

public sealed class ConsultationServiceTests
{
    private static async Task<(TelemedicineRig Rig, Appointment Booked)> BookedAsync()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        return (rig, await rig.BookAsync(slot.Id));
    }

    [Fact]
    public async Task GivenAConfirmedConsultation_WhenTheDoctorStartsAtItsTimeAndEndsWithNotes_ThenCompletedWithAnOpConsultRecordForThePatient()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start.AddMinutes(-5));

        var started = await rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default);
        rig.Time.Advance(TimeSpan.FromMinutes(12));
        var ended = await rig.Consultations.EndAsync(TelemedicineRig.Doctor, booked.Id,
            new EndInput("Fever for 3 days", "Viral fever", "386661006", "Paracetamol, fluids, review in 3 days"), default);

        Assert.Equal(AppointmentStatus.InProgress, started.Status);
        Assert.Equal(AppointmentStatus.Completed, ended.Status);
        Assert.Equal("386661006", ended.ConditionCode);
        var (patient, bundle) = rig.Records.Saved[booked.Id];
        Assert.Equal(TelemedicineRig.Patient, patient);
        var json = JsonDocument.Parse(bundle).RootElement;
        Assert.Equal("document", json.GetProperty("type").GetString());
        var composition = json.GetProperty("entry")[0].GetProperty("resource");
        Assert.Contains("OPConsultRecord", composition.GetProperty("meta").GetProperty("profile")[0].GetString());
        Assert.Contains("386661006", bundle);
        var facts = await rig.Consultations.GetConsultationFactsAsync(booked.Id, default);
        Assert.Equal(new TeleconsultationFacts(booked.Id, TelemedicineRig.Doctor, TelemedicineRig.Patient, ConsultationMode.Video, false, "386661006",
            TelemedicineRig.Facility, AppointmentStatus.Completed, started.StartedAt, ended.EndedAt), facts);
    }

    [Fact]
    public async Task GivenAConsultationAnHourAway_WhenTheDoctorStarts_ThenTooEarlyAndStillConfirmed()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start.AddHours(-1));

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default));

        Assert.Equal(TelemedicineErrors.TooEarly, error.Code);
        Assert.Equal(AppointmentStatus.Confirmed, rig.Appointments.Get(booked.Id).Status);
    }

    [Fact]
    public async Task GivenADoctorDeactivatedAfterTheBooking_WhenStarting_ThenRefusedAtTheTimeOfTheAct()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start);
        rig.Professionals.Deactivated.Add(TelemedicineRig.Doctor);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default));

        Assert.Equal("PROFESSIONAL_INACTIVE", error.Code);
        Assert.Equal(AppointmentStatus.Confirmed, rig.Appointments.Get(booked.Id).Status);
    }

    [Fact]
    public async Task GivenAnotherDoctor_WhenTheyReadStartOrJoin_ThenNotFound()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start);
        var other = Participant.Doctor(TelemedicineRig.OtherDoctor);

        var errors = new[]
        {
            await Assert.ThrowsAsync<DomainException>(() => rig.Consultations.GetAsync(other, booked.Id, default)),
            await Assert.ThrowsAsync<DomainException>(() => rig.Consultations.StartAsync(TelemedicineRig.OtherDoctor, booked.Id, default)),
            await Assert.ThrowsAsync<DomainException>(() => rig.Consultations.JoinTokenAsync(other, booked.Id, default)),
        };

        Assert.All(errors, e => Assert.Equal(TelemedicineErrors.AppointmentNotFound, e.Code));
        Assert.Empty(rig.Tokens.Issued);
    }

    [Fact]
    public async Task GivenAStartedConsultation_WhenBothParticipantsAskToJoin_ThenEachGetsAShortLivedTokenForThisConsultation()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start);
        await rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default);

        var doctor = await rig.Consultations.JoinTokenAsync(Participant.Doctor(TelemedicineRig.Doctor), booked.Id, default);
        var patient = await rig.Consultations.JoinTokenAsync(Participant.Patient(TelemedicineRig.Patient), booked.Id, default);

        Assert.Equal("consultation:" + booked.Id, doctor.Audience);
        Assert.Equal(patient.Audience, doctor.Audience);
        Assert.Equal([(booked.Id, TelemedicineRig.Doctor, "DOCTOR"), (booked.Id, TelemedicineRig.Patient, "PATIENT")],
            rig.Tokens.Issued.Select(i => (i.Consultation, i.Participant, i.Role)));
        Assert.All(rig.Tokens.Issued, i => Assert.Equal(TimeSpan.FromMinutes(5), i.Lifetime));
    }

    [Fact]
    public async Task GivenADoctorWhoNeverStarted_WhenThePatientRecordsTheNoShowAfterTheGrace_ThenFullRefund()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start.AddMinutes(5));
        var early = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Consultations.RecordNoShowAsync(Participant.Patient(TelemedicineRig.Patient), booked.Id, default));
        rig.Time.SetUtcNow(booked.Start.AddMinutes(16));

        var recorded = await rig.Consultations.RecordNoShowAsync(Participant.Patient(TelemedicineRig.Patient), booked.Id, default);

        Assert.Equal(TelemedicineErrors.TooEarly, early.Code);
        Assert.Equal(AppointmentStatus.DoctorNoShow, recorded.Status);
        Assert.Equal((50000L, CancellationPolicy.DoctorNoShow), rig.Payments.Refunded[booked.Id]);
    }

    [Fact]
    public async Task GivenAPatientWhoNeverJoined_WhenTheDoctorRecordsTheNoShow_ThenNothingIsRefundedByDefault()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start.AddMinutes(11));

        var recorded = await rig.Consultations.RecordNoShowAsync(Participant.Doctor(TelemedicineRig.Doctor), booked.Id, default);

        Assert.Equal(AppointmentStatus.PatientNoShow, recorded.Status);
        Assert.Equal((0L, CancellationPolicy.PatientNoShow), (recorded.Refund!.AmountPaise, recorded.Refund.Rule));
        Assert.Empty(rig.Payments.Refunded);
    }

    [Fact]
    public async Task GivenTheDoctorCancels_ThenThePatientGetsEverythingBackAndTheSlotIsFree()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start.AddMinutes(-30));

        var cancelled = await rig.Consultations.CancelByDoctorAsync(TelemedicineRig.Doctor, booked.Id, "emergency surgery", default);

        Assert.Equal(("doctor", CancellationPolicy.DoctorCancelled, 50000L), (cancelled.CancelledBy, cancelled.Refund!.Rule, cancelled.Refund.AmountPaise));
        Assert.Null(rig.Slots.Get(booked.SlotId).Hold);
    }

    [Fact]
    public async Task GivenAConsultationNotStarted_WhenTheDoctorEndsIt_ThenInvalidStateNamingTheStatus()
    {
        var (rig, booked) = await BookedAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Consultations.EndAsync(TelemedicineRig.Doctor, booked.Id, new EndInput(), default));

        Assert.Equal((ErrorKind.Conflict, TelemedicineErrors.InvalidTransition, "CONFIRMED"), (error.Kind, error.Code, error.Extensions["state"]));
    }

    [Fact]
    public async Task GivenACompletedConsultation_WhenThePatientBooksAFollowUpWithTheSameDoctor_ThenTheFactsSayFollowUpForTheSameCondition()
    {
        var (rig, booked) = await BookedAsync();
        rig.Time.SetUtcNow(booked.Start);
        await rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default);
        await rig.Consultations.EndAsync(TelemedicineRig.Doctor, booked.Id, new EndInput(Diagnosis: "Hypertension", ConditionCode: "38341003"), default);
        var later = (await rig.PublishAsync(1, from: booked.Start.AddDays(7)))[0];

        var followUp = await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(later.Id, "video", booked.Id), default);

        var facts = await rig.Consultations.GetConsultationFactsAsync(followUp.Id, default);
        Assert.True(facts!.IsFollowUp);
        Assert.Equal("38341003", facts.ConditionCode);
    }

    [Fact]
    public async Task GivenNoSuchConsultation_WhenFactsAreAsked_ThenNull()
    {
        var rig = new TelemedicineRig();

        Assert.Null(await rig.Consultations.GetConsultationFactsAsync(Guid.NewGuid().ToString(), default));
        Assert.Null(await rig.Consultations.GetConsultationFactsAsync("not-an-id", default));
    }
}
