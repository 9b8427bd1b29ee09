using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

/// <summary>Reminders on a controllable clock: due ones go once, cancelled ones never, and a new service (a restarted host) catches up.</summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task GivenAConfirmedAppointment_WhenTheClockPassesTheReminderTime_ThenExactlyOneReminderIsSent()
    {
        var rig = new TelemedicineRig();
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);

        rig.Time.SetUtcNow(booked.Start.AddMinutes(-31));
        var before = await rig.Consultations.SendDueRemindersAsync(default);
        rig.Time.SetUtcNow(booked.Start.AddMinutes(-30));
        var due = await rig.Consultations.SendDueRemindersAsync(default);
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await rig.Consultations.SendDueRemindersAsync(default);

        Assert.Equal((0, 1, 0), (before, due, again));
        Assert.Equal(booked.Id, Assert.Single(rig.Reminders.Sent).AppointmentId);
    }

    [Fact]
    public async Task GivenACancelledAppointment_WhenItsReminderTimeComes_ThenNoReminder()
    {
        var rig = new TelemedicineRig();
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);
        await rig.Booking.CancelAsync(TelemedicineRig.Patient, new CancelInput(booked.Id, null), default);

        rig.Time.SetUtcNow(booked.Start.AddMinutes(-10));
        var sent = await rig.Consultations.SendDueRemindersAsync(default);

        Assert.Equal(0, sent);
        Assert.Empty(rig.Reminders.Sent);
    }

    [Fact]
    public async Task GivenTheHostWasDownThroughTheReminderTime_WhenANewServiceRunsAfterRestart_ThenTheMissedReminderGoesBeforeTheStart()
    {
        var rig = new TelemedicineRig();
        var slots = await rig.PublishAsync(2);
        var first = await rig.BookAsync(slots[0].Id);
        var second = await rig.BookAsync(slots[1].Id, TelemedicineRig.OtherPatient);
        rig.Time.SetUtcNow(first.Start.AddMinutes(-5)); // both reminder times passed while nothing ran

        var restarted = new ConsultationService(rig.Slots, rig.Appointments, rig.Professionals, rig.Facilities, rig.Payments, rig.Tokens, rig.Records,
            new NamelessPatients(), rig.Reminders, new TelemedicineAudit(rig.Audit, new HealthId.NoCurrentActor()), rig.Options, rig.Time, rig.ProviderRecords);
        var sent = await restarted.SendDueRemindersAsync(default);

        Assert.Equal(2, sent);
        Assert.Equal(new[] { first.Id, second.Id }.Order(), rig.Reminders.Sent.Select(s => s.AppointmentId).Order());
    }

    [Fact]
    public async Task GivenABookingInsideTheReminderWindow_ThenItsReminderIsDueAtOnce()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        rig.Time.SetUtcNow(slot.Start.AddMinutes(-10));

        var booked = await rig.BookAsync(slot.Id);

        Assert.Equal(rig.Time.GetUtcNow(), booked.ReminderDueAt);
        Assert.Equal(1, await rig.Consultations.SendDueRemindersAsync(default));
    }

    private sealed class NamelessPatients : ITelemedicinePatients
    {
        public Task<string?> DisplayNameAsync(string patientNumber, CancellationToken ct) => Task.FromResult<string?>(null);
    }
}
