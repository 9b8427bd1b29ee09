using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

public sealed class BookingServiceTests
{
    [Fact]
    public async Task GivenSlotsOfTwoDoctors_WhenAPatientSearchesBySpecialtyLanguageFeeAndName_ThenOnlyMatchingFreeSlotsComeSoonestFirst()
    {
        var rig = new TelemedicineRig();
        var mine = await rig.PublishAsync(3, fee: 400m);
        await rig.PublishAsync(3, TelemedicineRig.OtherDoctor, fee: 900m);
        await rig.BookAsync(mine[0].Id);

        var offers = await rig.Booking.SearchAsync(new SlotSearch(Specialty: "general medicine", Language: "TELUGU", MaxFeeInr: 500, DoctorName: "anita"), default);

        Assert.Equal([mine[1].Id, mine[2].Id], offers.Select(o => o.SlotId));
        Assert.All(offers, o => Assert.Equal(400m, o.FeeInr));
    }

    [Fact]
    public async Task GivenFacilitiesInHyderabadAndDelhi_WhenSearchingWithin50KmOfHyderabad_ThenOnlyTheNearOneWithItsDistance()
    {
        var rig = new TelemedicineRig();
        var near = await rig.PublishAsync(1);
        await rig.PublishAsync(1, TelemedicineRig.OtherDoctor);

        var offers = await rig.Booking.SearchAsync(new SlotSearch(Latitude: 17.44, Longitude: 78.35, RadiusKm: 50), default);

        var offer = Assert.Single(offers);
        Assert.Equal(near[0].Id, offer.SlotId);
        Assert.InRange(offer.DistanceKm!.Value, 10, 20);
    }

    [Fact]
    public async Task GivenAFreeSlot_WhenInitAndConfirm_ThenConfirmedWithPaymentConsentAndAReminderTime()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];

        var held = await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "audio"), default);
        var confirmed = await rig.Booking.ConfirmAsync(TelemedicineRig.Patient, new ConfirmInput(held.Id, "upi-123", true), default);

        Assert.Equal(AppointmentStatus.Initiated, held.Status);
        Assert.Equal(AppointmentStatus.Confirmed, confirmed.Status);
        Assert.Equal(ConsultationMode.Audio, confirmed.Mode);
        Assert.Equal(BookingService.ConsentStatement, confirmed.Consent!.Statement);
        Assert.Equal(slot.Start.AddMinutes(-30), confirmed.ReminderDueAt);
        Assert.Equal((50000L, "upi-123"), rig.Payments.Paid[held.Id]);
        Assert.Null(rig.Slots.Get(slot.Id).Hold!.ExpiresAt);
        Assert.Contains(rig.Audit.Events, e => e.Action == "telemedicine.appointment.confirm" && e.Chain == "patient:" + TelemedicineRig.Patient);
    }

    [Fact]
    public async Task GivenASlotHeldByOnePatient_WhenAnotherInits_ThenSlotTakenNamingTheSlot()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "video"), default);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Booking.InitAsync(TelemedicineRig.OtherPatient, new InitInput(slot.Id, "video"), default));

        Assert.Equal((ErrorKind.Conflict, TelemedicineErrors.SlotTaken), (error.Kind, error.Code));
        Assert.Equal(slot.Id, error.Extensions["slotId"]);
        Assert.Single(rig.Appointments.All);
    }

    [Fact]
    public async Task GivenAnUnconfirmedHoldThatLapsed_WhenAnotherPatientInits_ThenTheyGetTheSlotAndTheFirstCannotConfirm()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var first = await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "video"), default);
        rig.Time.Advance(TimeSpan.FromMinutes(rig.Options.HoldMinutes + 1));

        var second = await rig.Booking.InitAsync(TelemedicineRig.OtherPatient, new InitInput(slot.Id, "video"), default);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Booking.ConfirmAsync(TelemedicineRig.Patient, new ConfirmInput(first.Id, "pay-1", true), default));

        Assert.Equal(second.Id, rig.Slots.Get(slot.Id).Hold!.AppointmentId);
        Assert.Equal(TelemedicineErrors.HoldExpired, error.Code);
        Assert.Empty(rig.Payments.Paid);
    }

    [Fact]
    public async Task GivenNoTeleconsultationConsent_WhenConfirming_ThenRefusedAndNothingChanges()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var held = await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "video"), default);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Booking.ConfirmAsync(TelemedicineRig.Patient, new ConfirmInput(held.Id, "pay-1", false), default));

        Assert.Equal(TelemedicineErrors.ConsentRequired, error.Code);
        Assert.Equal(AppointmentStatus.Initiated, rig.Appointments.Get(held.Id).Status);
        Assert.NotNull(rig.Slots.Get(slot.Id).Hold!.ExpiresAt);
        Assert.Empty(rig.Payments.Paid);
    }

    [Fact]
    public async Task GivenAnotherPatientsAppointment_WhenStatusOrCancel_ThenNotFoundAndNothingChanges()
    {
        var rig = new TelemedicineRig();
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);

        var status = await Assert.ThrowsAsync<DomainException>(() => rig.Booking.StatusAsync(TelemedicineRig.OtherPatient, booked.Id, default));
        var cancel = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Booking.CancelAsync(TelemedicineRig.OtherPatient, new CancelInput(booked.Id, null), default));

        Assert.Equal([ErrorKind.NotFound, ErrorKind.NotFound], [status.Kind, cancel.Kind]);
        Assert.Equal(AppointmentStatus.Confirmed, rig.Appointments.Get(booked.Id).Status);
    }

    [Fact]
    public async Task GivenAConfirmedAppointment_WhenThePatientCancelsADayAhead_ThenFullRefundAndTheSlotIsFreeAgain()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var booked = await rig.BookAsync(slot.Id);

        var cancelled = await rig.Booking.CancelAsync(TelemedicineRig.Patient, new CancelInput(booked.Id, "feeling better"), default);

        Assert.Equal(AppointmentStatus.Cancelled, cancelled.Status);
        Assert.Equal((50000L, CancellationPolicy.PatientCancelledEarly), (cancelled.Refund!.AmountPaise, cancelled.Refund.Rule));
        Assert.Null(rig.Slots.Get(slot.Id).Hold);
        Assert.Single(await rig.Booking.SearchAsync(new SlotSearch(), default));
    }

    [Fact]
    public async Task GivenAConfirmedAppointment_WhenThePatientCancelsAnHourBefore_ThenHalfIsRefunded()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var booked = await rig.BookAsync(slot.Id);
        rig.Time.SetUtcNow(slot.Start.AddHours(-1));

        var cancelled = await rig.Booking.CancelAsync(TelemedicineRig.Patient, new CancelInput(booked.Id, null), default);

        Assert.Equal((25000L, CancellationPolicy.PatientCancelledLate), (cancelled.Refund!.AmountPaise, cancelled.Refund.Rule));
        Assert.Equal((25000L, CancellationPolicy.PatientCancelledLate), rig.Payments.Refunded[booked.Id]);
    }

    [Fact]
    public async Task GivenAModeTheSlotDoesNotOffer_WhenInit_ThenModeNotOfferedAndNoHold()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.Availability.PublishAsync(TelemedicineRig.Doctor,
            TelemedicineRig.Hours(TelemedicineRig.Now.Date.AddDays(1).AddHours(9), 1, modes: ["chat"]), default))[0];

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "video"), default));

        Assert.Equal(TelemedicineErrors.ModeNotOffered, error.Code);
        Assert.Null(rig.Slots.Get(slot.Id).Hold);
    }

    [Fact]
    public async Task GivenAPatientInitWhoseAppointmentWriteFailedAfterTheHold_WhenRetriedWithTheSameIdempotencyKey_ThenTheBookingResumes()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var id = BookingService.PatientAppointmentIdFor(TelemedicineRig.Patient, "book-1")!;
        var found = await rig.Slots.FindAsync(slot.Id, default);
        await rig.Slots.TryReplaceAsync(found!.Value with { Hold = new SlotHold(id, TelemedicineRig.Now.AddMinutes(10)) }, found.ETag, default);

        var withoutKey = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "video"), default));
        var resumed = await rig.Booking.InitAsync(TelemedicineRig.Patient, new InitInput(slot.Id, "video"), default,
            BookingService.PatientAppointmentIdFor(TelemedicineRig.Patient, "book-1"));

        Assert.Equal(TelemedicineErrors.SlotTaken, withoutKey.Code);
        Assert.Equal(id, resumed.Id);
        Assert.NotEqual(id, BookingService.PatientAppointmentIdFor(TelemedicineRig.OtherPatient, "book-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void GivenAMalformedIdempotencyKey_WhenAnAppointmentIdIsMadeOfIt_ThenInvalidBooking(string key) =>
        Assert.Equal(TelemedicineErrors.InvalidBooking,
            Assert.Throws<DomainException>(() => BookingService.PatientAppointmentIdFor(TelemedicineRig.Patient, key)).Code);
}
