using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

/// <summary>
/// A partner app booking for a patient: only with that patient's access token issued to that partner, only that
/// patient's appointments, idempotent per requestId, and the same one-winner rule as the patient's own booking.
/// </summary>
public sealed class PartnerBookingServiceTests
{
    private const string App = "phr-app-one";
    private const string OtherApp = "phr-app-two";
    private const string PatientToken = "token-of-patient-for-app-one";
    private const string OtherPatientToken = "token-of-other-patient-for-app-one";

    private static (TelemedicineRig Rig, PartnerBookingService Partner) Rig()
    {
        var rig = new TelemedicineRig();
        var grants = new FakeDelegations
        {
            [PatientToken] = (App, TelemedicineRig.Patient),
            [OtherPatientToken] = (App, TelemedicineRig.OtherPatient),
        };
        return (rig, new PartnerBookingService(rig.Booking, grants));
    }

    [Fact]
    public async Task GivenThePatientsTokenForThisApp_WhenItInitsConfirmsAndAsksTheStatus_ThenTheAppointmentIsThePatientsAndConfirmed()
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];

        var held = await partner.InitAsync(App, "req-1", PatientToken, new InitInput(slot.Id, "video"), default);
        var confirmed = await partner.ConfirmAsync(App, PatientToken, new ConfirmInput(held.Id, "upi-77", true), default);
        var status = await partner.StatusAsync(App, PatientToken, held.Id, default);

        Assert.Equal(TelemedicineRig.Patient, held.PatientNumber);
        Assert.Equal(PartnerBookingService.AppointmentIdFor(App, "req-1"), held.Id);
        Assert.Equal((AppointmentStatus.Confirmed, "upi-77"), (confirmed.Status, confirmed.PaymentReference));
        Assert.NotNull(confirmed.Consent);
        Assert.Equal(confirmed, status);
        Assert.Equal(held.Id, rig.Slots.Get(slot.Id).Hold!.AppointmentId);
    }

    [Theory]
    [InlineData(OtherApp, PatientToken)] // another app presenting this app's token
    [InlineData(App, "forged-or-expired")]
    public async Task GivenATokenNotIssuedToTheCaller_WhenItInits_ThenInvalidAccessTokenAndNothingIsHeld(string caller, string token)
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];

        var error = await Assert.ThrowsAsync<DomainException>(() => partner.InitAsync(caller, "req-1", token, new InitInput(slot.Id, "video"), default));

        Assert.Equal((ErrorKind.Unauthenticated, PartnerBookingService.InvalidAccessToken, AbdmErrors.InvalidToken),
            (error.Kind, error.Code, AbdmErrors.AbdmCodeFor(error)));
        Assert.Null(rig.Slots.Get(slot.Id).Hold);
        Assert.Empty(rig.Appointments.All);
    }

    [Fact]
    public async Task GivenAnotherPatientsAppointment_WhenTheAppAsksItsStatusOrCancelsItWithThisPatientsToken_ThenNotFoundAndUnchanged()
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];
        var theirs = await partner.InitAsync(App, "req-other", OtherPatientToken, new InitInput(slot.Id, "video"), default);

        var status = await Assert.ThrowsAsync<DomainException>(() => partner.StatusAsync(App, PatientToken, theirs.Id, default));
        var cancel = await Assert.ThrowsAsync<DomainException>(() => partner.CancelAsync(App, PatientToken, new CancelInput(theirs.Id, null), default));

        Assert.Equal([TelemedicineErrors.AppointmentNotFound, TelemedicineErrors.AppointmentNotFound], new[] { status.Code, cancel.Code });
        Assert.Equal(theirs, rig.Appointments.Get(theirs.Id));
    }

    [Fact]
    public async Task GivenTheSameInitRequestRunTwice_WhenTheGatewayResumesIt_ThenTheSameAppointmentAndOneHold()
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];

        var first = await partner.InitAsync(App, "req-1", PatientToken, new InitInput(slot.Id, "video"), default);
        var again = await partner.InitAsync(App, "req-1", PatientToken, new InitInput(slot.Id, "video"), default);

        Assert.Equal(first, again);
        Assert.Single(rig.Appointments.All);
        Assert.Single(rig.Slots.HoldsWritten);
    }

    [Fact]
    public async Task GivenARunThatDiedAfterHoldingTheSlot_WhenTheInitIsResumed_ThenItsAppointmentIsWrittenUnderTheSameHold()
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];
        var id = PartnerBookingService.AppointmentIdFor(App, "req-1");
        var found = await rig.Slots.FindAsync(slot.Id, default);
        var expires = TelemedicineRig.Now.AddMinutes(10);
        await rig.Slots.TryReplaceAsync(found!.Value with { Hold = new SlotHold(id, expires) }, found.ETag, default);

        var resumed = await partner.InitAsync(App, "req-1", PatientToken, new InitInput(slot.Id, "video"), default);

        Assert.Equal((id, expires), (resumed.Id, resumed.HoldExpiresAt));
        Assert.Equal(id, rig.Slots.Get(slot.Id).Hold!.AppointmentId);
        Assert.Single(rig.Slots.HoldsWritten);
    }

    [Fact]
    public async Task GivenTwoPatientsBookingOneSlotThroughTheApp_WhenTheyRace_ThenOneHoldsItAndTheOtherGetsSlotTakenNamingIt()
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];

        var attempts = await Task.WhenAll(
            Attempt(() => partner.InitAsync(App, "req-a", PatientToken, new InitInput(slot.Id, "video"), default)),
            Attempt(() => partner.InitAsync(App, "req-b", OtherPatientToken, new InitInput(slot.Id, "audio"), default)));

        var winner = Assert.Single(attempts, a => a.Booked is not null).Booked!;
        var loser = Assert.Single(attempts, a => a.Error is not null).Error!;
        Assert.Equal((ErrorKind.Conflict, TelemedicineErrors.SlotTaken, slot.Id), (loser.Kind, loser.Code, loser.Extensions["slotId"]));
        Assert.Contains(slot.Id, AbdmErrors.ToAbdmError(loser).Message);
        Assert.Equal(winner.Id, rig.Slots.Get(slot.Id).Hold!.AppointmentId);
        Assert.Single(rig.Appointments.All);
    }

    [Fact]
    public async Task GivenAConfirmedBooking_WhenTheAppCancelsItEarly_ThenFullRefundAndTheSlotIsFreeAgain()
    {
        var (rig, partner) = Rig();
        var slot = (await rig.PublishAsync(1))[0];
        var held = await partner.InitAsync(App, "req-1", PatientToken, new InitInput(slot.Id, "video"), default);
        await partner.ConfirmAsync(App, PatientToken, new ConfirmInput(held.Id, "upi-1", true), default);

        var cancelled = await partner.CancelAsync(App, PatientToken, new CancelInput(held.Id, "travelling"), default);

        Assert.Equal((AppointmentStatus.Cancelled, held.FeePaise, CancellationPolicy.PatientCancelledEarly),
            (cancelled.Status, cancelled.Refund!.AmountPaise, cancelled.Refund.Rule));
        Assert.Null(rig.Slots.Get(slot.Id).Hold);
    }

    private static async Task<(Appointment? Booked, DomainException? Error)> Attempt(Func<Task<Appointment>> init)
    {
        try
        {
            return (await init(), null);
        }
        catch (DomainException e)
        {
            return (null, e);
        }
    }

    private sealed class FakeDelegations : Dictionary<string, (string Partner, string Patient)>, IPatientDelegations
    {
        public Task<string?> PatientForAsync(string partnerId, string accessToken, CancellationToken ct) =>
            Task.FromResult(TryGetValue(accessToken, out var grant) && grant.Partner == partnerId ? grant.Patient : null);
    }
}
