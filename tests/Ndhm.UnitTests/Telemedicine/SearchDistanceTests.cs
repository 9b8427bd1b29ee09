using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

/// <summary>Search by the patient's location: nearest first by default, soonest first on request, and the maximum distance.</summary>
public sealed class SearchDistanceTests
{
    private const double Latitude = 17.385;
    private const double Longitude = 78.4867;

    /// <summary>Three slots, the farther the sooner: ~30 km (tomorrow 09:00), ~5 km (10:00), ~1 km (11:00) from the patient.</summary>
    private static async Task<(TelemedicineRig Rig, string Far, string Mid, string Near)> SlotsAsync()
    {
        var rig = new TelemedicineRig();
        var day = TelemedicineRig.Now.Date.AddDays(1);
        // 0.009 degrees of latitude is about 1 km.
        var far = await AddAsync(rig, day.AddHours(9), Latitude + 0.27);
        var mid = await AddAsync(rig, day.AddHours(10), Latitude + 0.045);
        var near = await AddAsync(rig, day.AddHours(11), Latitude + 0.009);
        return (rig, far, mid, near);
    }

    private static async Task<string> AddAsync(TelemedicineRig rig, DateTimeOffset start, double latitude)
    {
        var slot = new Slot
        {
            Id = Slot.IdFor(TelemedicineRig.Doctor, start), DoctorHprId = TelemedicineRig.Doctor, DoctorName = "Anita Sharma",
            FacilityId = TelemedicineRig.Facility, FacilityName = "Apollo Clinic", Latitude = latitude, Longitude = Longitude, Start = start,
            DurationMinutes = 15, FeePaise = 50000, Specialty = "General Medicine", Languages = ["English"], Modes = [ConsultationMode.Video],
            PublishedAt = TelemedicineRig.Now,
        };
        Assert.NotNull(await rig.Slots.TryCreateAsync(slot, default));
        return slot.Id;
    }

    [Fact]
    public async Task GivenSlotsAtDifferentDistances_WhenThePatientSearchesWithTheirLocation_ThenNearestFirstWithDistances()
    {
        var (rig, far, mid, near) = await SlotsAsync();

        var offers = await rig.Booking.SearchAsync(new SlotSearch(Latitude: Latitude, Longitude: Longitude, RadiusKm: 50), default);

        Assert.Equal([near, mid, far], offers.Select(o => o.SlotId));
        Assert.Equal(offers.Select(o => o.DistanceKm).Order(), offers.Select(o => o.DistanceKm));
        Assert.InRange(offers[0].DistanceKm!.Value, 0.9, 1.1);
        Assert.InRange(offers[2].DistanceKm!.Value, 29, 31);
    }

    [Fact]
    public async Task GivenSlotsAtDifferentDistances_WhenOrderedByStart_ThenSoonestFirst_AndTheLimitKeepsTheSoonest()
    {
        var (rig, far, mid, near) = await SlotsAsync();

        var byStart = await rig.Booking.SearchAsync(new SlotSearch(Latitude: Latitude, Longitude: Longitude, RadiusKm: 50, OrderBy: "start"), default);
        var nearestTwo = await rig.Booking.SearchAsync(new SlotSearch(Latitude: Latitude, Longitude: Longitude, RadiusKm: 50, Limit: 2), default);

        Assert.Equal([far, mid, near], byStart.Select(o => o.SlotId));
        Assert.Equal([near, mid], nearestTwo.Select(o => o.SlotId));
    }

    [Fact]
    public async Task GivenAMaximumDistance_WhenSearching_ThenFartherSlotsAreLeftOut()
    {
        var (rig, _, mid, near) = await SlotsAsync();

        var offers = await rig.Booking.SearchAsync(new SlotSearch(Latitude: Latitude, Longitude: Longitude, RadiusKm: 10, OrderBy: "distance"), default);

        Assert.Equal([near, mid], offers.Select(o => o.SlotId));
    }

    [Theory]
    [InlineData("distance", false)]
    [InlineData("price", true)]
    public async Task GivenAnOrderThatCannotApply_WhenSearching_Then400NamingOrderBy(string orderBy, bool withLocation)
    {
        var (rig, _, _, _) = await SlotsAsync();
        var search = withLocation
            ? new SlotSearch(Latitude: Latitude, Longitude: Longitude, RadiusKm: 10, OrderBy: orderBy)
            : new SlotSearch(OrderBy: orderBy);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Booking.SearchAsync(search, default));

        Assert.Equal((ErrorKind.Validation, TelemedicineErrors.InvalidSearch, "orderBy"), (error.Kind, error.Code, error.Extensions["field"]));
    }
}
