using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

/// <summary>The automatic no-show sweep on a controllable clock: after the grace only, the doctor's no-show with a full refund, once.</summary>
public sealed class NoShowSweepTests
{
    [Fact]
    public async Task GivenAConfirmedConsultationNeverStarted_WhenTheGracePasses_ThenTheSweepMarksTheDoctorsNoShowWithAFullRefundOnce()
    {
        var rig = new TelemedicineRig();
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);

        rig.Time.SetUtcNow(booked.Start.AddMinutes(29));
        var early = await rig.Consultations.SweepNoShowsAsync(default);
        rig.Time.SetUtcNow(booked.Start.AddMinutes(30));
        var due = await rig.Consultations.SweepNoShowsAsync(default);
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        var again = await rig.Consultations.SweepNoShowsAsync(default);

        Assert.Equal((0, 1, 0), (early, due, again));
        var swept = rig.Appointments.Get(booked.Id);
        Assert.Equal(AppointmentStatus.DoctorNoShow, swept.Status);
        Assert.Equal((booked.FeePaise, CancellationPolicy.DoctorNoShow), (swept.Refund!.AmountPaise, swept.Refund.Rule));
        Assert.Equal((booked.FeePaise, CancellationPolicy.DoctorNoShow), rig.Payments.Refunded[booked.Id]);
        var audited = Assert.Single(rig.Audit.Events, e => e.Action == "telemedicine.consultation.no-show");
        Assert.Equal(ConsultationService.NoShowSweepActor, audited.Actor.Subject);
    }

    [Fact]
    public async Task GivenConsultationsStartedCancelledOrOnlyInitiated_WhenTheSweepRunsLongAfter_ThenNoneIsTouched()
    {
        var rig = new TelemedicineRig();
        var slots = await rig.PublishAsync(3);
        var started = await rig.BookAsync(slots[0].Id);
        var cancelled = await rig.BookAsync(slots[1].Id, TelemedicineRig.OtherPatient);
        await rig.Booking.CancelAsync(TelemedicineRig.OtherPatient, new CancelInput(cancelled.Id, null), default);
        var initiated = await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slots[2].Id, "chat"), default);
        rig.Time.SetUtcNow(started.Start);
        await rig.Consultations.StartAsync(TelemedicineRig.Doctor, started.Id, default);

        rig.Time.SetUtcNow(slots[2].Start.AddHours(2));
        var marked = await rig.Consultations.SweepNoShowsAsync(default);

        Assert.Equal(0, marked);
        Assert.Equal([AppointmentStatus.InProgress, AppointmentStatus.Cancelled, AppointmentStatus.Initiated],
            new[] { started.Id, cancelled.Id, initiated.Id }.Select(id => rig.Appointments.Get(id).Status));
    }

    [Theory]
    [InlineData(60, 59, 60)]
    [InlineData(5, 14, 15)] // never before the patient could record the doctor's no-show themselves
    public async Task GivenAConfiguredGrace_WhenTheSweepRuns_ThenItMarksFromThatGraceOn(int configured, int before, int from)
    {
        var rig = new TelemedicineRig();
        rig.Options.NoShowSweepGraceMinutes = configured;
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);

        rig.Time.SetUtcNow(booked.Start.AddMinutes(before));
        var early = await rig.Consultations.SweepNoShowsAsync(default);
        rig.Time.SetUtcNow(booked.Start.AddMinutes(from));
        var due = await rig.Consultations.SweepNoShowsAsync(default);

        Assert.Equal((0, 1), (early, due));
    }

    [Fact]
    public async Task GivenThePatientAlreadyRecordedTheDoctorsNoShow_WhenTheSweepRuns_ThenNothingChangesAndNoSecondRefundIsAsked()
    {
        var rig = new TelemedicineRig();
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);
        rig.Time.SetUtcNow(booked.Start.AddMinutes(20));
        var recorded = await rig.Consultations.RecordNoShowAsync(Participant.Patient(TelemedicineRig.Patient), booked.Id, default);

        rig.Time.SetUtcNow(booked.Start.AddMinutes(45));
        var marked = await rig.Consultations.SweepNoShowsAsync(default);

        Assert.Equal(0, marked);
        Assert.Equal(recorded, rig.Appointments.Get(booked.Id));
        Assert.Single(rig.Audit.Events, e => e.Action == "telemedicine.consultation.no-show");
    }
}
