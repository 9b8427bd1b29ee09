using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

public sealed class AvailabilityServiceTests
{
    private static readonly DateTimeOffset Tomorrow9 = TelemedicineRig.Now.Date.AddDays(1).AddHours(9);

    [Fact]
    public async Task GivenAVerifiedDoctorAtTheirFacility_WhenTheyPublishAnHour_ThenFourQuarterHourSlotsAreOpen()
    {
        var rig = new TelemedicineRig();

        var slots = await rig.Availability.PublishAsync(TelemedicineRig.Doctor, TelemedicineRig.Hours(Tomorrow9), CancellationToken.None);

        Assert.Equal(4, slots.Count);
        Assert.Equal([Tomorrow9, Tomorrow9.AddMinutes(15), Tomorrow9.AddMinutes(30), Tomorrow9.AddMinutes(45)], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal((50000L, "Apollo Clinic", "Anita Sharma"), (s.FeePaise, s.FacilityName, s.DoctorName)));
        Assert.Equal(TelemedicineRig.Doctor + "-202612040900", slots[0].Id);
    }

    [Fact]
    public async Task GivenPublishedSlots_WhenTheDoctorPublishesAnOverlappingHour_ThenSlotOverlapNamesTheSlotAndNothingIsAdded()
    {
        var rig = new TelemedicineRig();
        await rig.PublishAsync(4);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Availability.PublishAsync(TelemedicineRig.Doctor, TelemedicineRig.Hours(Tomorrow9.AddMinutes(50), 4, duration: 20), CancellationToken.None));

        Assert.Equal((ErrorKind.Conflict, TelemedicineErrors.SlotOverlap), (error.Kind, error.Code));
        Assert.Equal(TelemedicineRig.Doctor + "-202612040945", error.Extensions["slotId"]);
        Assert.Equal(4, (await rig.Slots.ListForDoctorAsync(TelemedicineRig.Doctor, Tomorrow9.AddDays(-1), Tomorrow9.AddDays(1), 100, default)).Count);
    }

    [Fact]
    public async Task GivenABookedSlot_WhenTheDoctorWithdrawsIt_ThenSlotBookedAndTheAppointmentKeepsIt()
    {
        var rig = new TelemedicineRig();
        var slots = await rig.PublishAsync(2);
        var booked = await rig.BookAsync(slots[0].Id);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Availability.WithdrawAsync(TelemedicineRig.Doctor, slots[0].Id, default));

        Assert.Equal(TelemedicineErrors.SlotBooked, error.Code);
        Assert.Equal(booked.Id, rig.Slots.Get(slots[0].Id).Hold!.AppointmentId);
        Assert.False(rig.Slots.Get(slots[0].Id).Withdrawn);
    }

    [Fact]
    public async Task GivenAFreeSlot_WhenWithdrawnThenRepublished_ThenItIsOpenAgain()
    {
        var rig = new TelemedicineRig();
        var slots = await rig.PublishAsync(1);

        var withdrawn = await rig.Availability.WithdrawAsync(TelemedicineRig.Doctor, slots[0].Id, default);
        var again = await rig.PublishAsync(1, fee: 300m);

        Assert.True(withdrawn.Withdrawn);
        Assert.False(rig.Slots.Get(slots[0].Id).Withdrawn);
        Assert.Equal(30000, again[0].FeePaise);
    }

    [Fact]
    public async Task GivenAnotherDoctorsSlot_WhenWithdrawn_ThenNotFound()
    {
        var rig = new TelemedicineRig();
        var slots = await rig.PublishAsync(1);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Availability.WithdrawAsync(TelemedicineRig.OtherDoctor, slots[0].Id, default));

        Assert.Equal((ErrorKind.NotFound, TelemedicineErrors.SlotNotFound), (error.Kind, error.Code));
        Assert.False(rig.Slots.Get(slots[0].Id).Withdrawn);
    }

    [Fact]
    public async Task GivenAFacilityTheDoctorIsNotListedAt_WhenPublishing_ThenFacilityNotListed()
    {
        var rig = new TelemedicineRig();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Availability.PublishAsync(TelemedicineRig.Doctor,
            TelemedicineRig.Hours(Tomorrow9, facility: TelemedicineRig.OtherFacility), default));

        Assert.Equal((ErrorKind.Forbidden, TelemedicineErrors.FacilityNotListed), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenAnUnverifiedDoctor_WhenPublishing_ThenTheRegistrysRefusalStands()
    {
        var rig = new TelemedicineRig();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Availability.PublishAsync(TelemedicineRig.UnverifiedDoctor, TelemedicineRig.Hours(Tomorrow9), default));

        Assert.Equal("PROFESSIONAL_NOT_VERIFIED", error.Code);
    }

    public static TheoryData<AvailabilityInput, string> BadInputs => new()
    {
        { TelemedicineRig.Hours(Tomorrow9) with { FacilityId = "nope" }, "facilityId" },
        { TelemedicineRig.Hours(Tomorrow9) with { Specialty = "Cardiology" }, "specialty" },
        { TelemedicineRig.Hours(Tomorrow9) with { Languages = [] }, "languages" },
        { TelemedicineRig.Hours(Tomorrow9) with { Modes = ["hologram"] }, "modes" },
        { TelemedicineRig.Hours(Tomorrow9) with { FeeInr = 10.005m }, "feeInr" },
        { TelemedicineRig.Hours(Tomorrow9) with { DurationMinutes = 3 }, "durationMinutes" },
        { TelemedicineRig.Hours(TelemedicineRig.Now.AddHours(-1)), "from" },
        { TelemedicineRig.Hours(Tomorrow9) with { Until = Tomorrow9 }, "until" },
        { TelemedicineRig.Hours(Tomorrow9, slots: 200, duration: 5), "until" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task GivenBadAvailability_WhenPublishing_ThenAValidationProblemNamesTheFieldAndNothingIsStored(AvailabilityInput input, string field)
    {
        var rig = new TelemedicineRig();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Availability.PublishAsync(TelemedicineRig.Doctor, input, default));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(field, error.Extensions["field"]);
        Assert.Empty(await rig.Slots.ListForDoctorAsync(TelemedicineRig.Doctor, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10, default));
    }
}
