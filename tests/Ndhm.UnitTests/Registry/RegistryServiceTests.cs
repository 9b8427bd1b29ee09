using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.UnitTests.Registry;

public sealed class RegistryServiceTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFacilityStore facilityStore = new();
    private readonly InMemoryProfessionalStore professionalStore = new();
    private readonly Ndhm.Registry.Common.RegistryAudit audit;

    public RegistryServiceTests() =>
        audit = new(new Ndhm.Audit.AuditTrail(new Audit.InMemoryAuditStore(), time), new Ndhm.Infrastructure.Audit.NoCurrentAuditActor());
    private static readonly Registrant Partner = new("hip-1", false);
    private static readonly Registrant Admin = new("admin-1", true);

    private FacilityService Facilities(params int[] digits) =>
        new(facilityStore, digits.Length == 0 ? new Ndhm.Registry.Common.CryptoRegistryRandom() : new SequenceRandom(digits), time, audit);

    private ProfessionalService Professionals(FacilityService facilities, params int[] digits) =>
        new(professionalStore, facilities, digits.Length == 0 ? new Ndhm.Registry.Common.CryptoRegistryRandom() : new SequenceRandom(digits),
            time, new RegistryOptions { HprAddressSuffix = "hpr.sbx" }, audit);

    [Fact]
    public async Task GivenAPartnerRegisteredFacility_WhenEnsuredAsHip_ThenFacilityNotVerified_UntilAnAdminVerifiesIt()
    {
        var service = Facilities();
        var facility = (await service.RegisterAsync(Inputs.Facility(), Partner, default)).Value;

        var error = await Assert.ThrowsAsync<DomainException>(() => service.EnsureVerifiedHipAsync(facility.Id, default));
        Assert.Equal((ErrorKind.Forbidden, "FACILITY_NOT_VERIFIED"), (error.Kind, error.Code));

        await service.VerifyAsync(facility.Id, "admin-1", null, default);
        Assert.True((await service.EnsureVerifiedHipAsync(facility.Id, default)).Verified);
    }

    [Fact]
    public async Task GivenAnUnknownFacility_WhenEnsuredAsHip_ThenNotFound()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Facilities().EnsureVerifiedHipAsync(FacilityId.Parse("IN2800000001"), default));

        Assert.Equal((ErrorKind.NotFound, "FACILITY_NOT_FOUND"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenAnAdminRegistration_ThenTheFacilityIsVerifiedFromTheStart()
    {
        var facility = (await Facilities().RegisterAsync(Inputs.Facility(), Admin, default)).Value;

        Assert.True(facility.Verified);
        Assert.Equal("admin-1", facility.VerifiedBy);
    }

    [Fact]
    public async Task GivenATakenId_WhenRegistering_ThenAnotherRandomIdIsDrawn()
    {
        var service = Facilities(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2);
        await service.RegisterAsync(Inputs.Facility(), Partner, default);

        var second = (await service.RegisterAsync(Inputs.Facility(), Partner, default)).Value;

        Assert.Equal("IN2822222222", second.Id.Value);
    }

    [Fact]
    public async Task GivenAVerifiedFacility_WhenItsPartnerMovesIt_ThenVerificationIsWithdrawn_ButAContactChangeKeepsIt()
    {
        var service = Facilities();
        var registered = await service.RegisterAsync(Inputs.Facility(), Partner, default);
        var verified = await service.VerifyAsync(registered.Value.Id, "admin-1", null, default);

        var contactOnly = await service.UpdateAsync(registered.Value.Id,
            Inputs.Facility() with { Contact = new FacilityContactInput(null, "new@example.org", null) }, verified.ETag, Partner, default);
        Assert.True(contactOnly.Value.Verified);

        var moved = await service.UpdateAsync(registered.Value.Id, Inputs.Facility(lat: 17.5), contactOnly.ETag, Partner, default);
        Assert.False(moved.Value.Verified);
    }

    [Fact]
    public async Task GivenAStaleETag_WhenUpdating_ThenConcurrentUpdate()
    {
        var service = Facilities();
        var registered = await service.RegisterAsync(Inputs.Facility(), Partner, default);
        await service.UpdateAsync(registered.Value.Id, Inputs.Facility("Renamed"), registered.ETag, Partner, default);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.UpdateAsync(registered.Value.Id, Inputs.Facility("Again"), registered.ETag, Partner, default));

        Assert.Equal((ErrorKind.PreconditionFailed, "CONCURRENT_UPDATE"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenAnUpdateThatChangesTheState_ThenRejectedBecauseTheIdCarriesTheState()
    {
        var service = Facilities();
        var registered = await service.RegisterAsync(Inputs.Facility(), Partner, default);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.UpdateAsync(registered.Value.Id, Inputs.Facility(stateCode: "36"), registered.ETag, Partner, default));

        Assert.Equal("INVALID_ADDRESS", error.Code);
    }

    [Fact]
    public async Task GivenFacilitiesInsideTheBoxButOutsideTheCircle_WhenSearchedByDistance_ThenTheyAreDroppedAndPagingStillVisitsEveryHit()
    {
        var service = Facilities();
        const double lat = 17.385, lon = 78.4867;
        // 6 within 10 km, 6 in the box's corners (~12.6 km): the corners must never come back.
        for (var i = 0; i < 6; i++)
        {
            await service.RegisterAsync(Inputs.Facility($"In {i}", lat: lat + 0.01 * i), Admin, default);
            await service.RegisterAsync(Inputs.Facility($"Corner {i}", lat: lat + 0.08, lon: lon + 0.084 - 0.0001 * i), Admin, default);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await service.SearchAsync(FacilitySearch.Create(null, null, null, null, null, null, null, null, null, lat, lon, 10, 4, token), default);
            names.AddRange(page.Items.Select(m => m.Facility.Name));
            Assert.All(page.Items, m => Assert.InRange(m.DistanceKm!.Value, 0, 10));
            token = page.ContinuationToken;
        }
        while (token is not null && ++pages < 10);

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"In {i}"), names.Order());
    }

    [Fact]
    public void GivenAPatientsSearchText_WhenTheSearchIsMade_ThenItAsksForVerifiedActiveFacilitiesWhoseNameContainsIt()
    {
        var byName = FacilitySearch.ForPatient("  City  HOSPITAL ", null, null, null);
        var byPincode = FacilitySearch.ForPatient(null, "pharmacy", "500001", null);

        Assert.Equal((true, Ndhm.Registry.Common.StatusFilter.Active, "city hospital", (string?)null, FacilitySearch.DefaultPageSize),
            (byName.Query.Verified, byName.Query.Status, byName.Query.NameContains, byName.Query.NamePrefix, byName.PageSize));
        Assert.Equal((true, (FacilityType?)FacilityType.Pharmacy, "500001", (string?)null),
            (byPincode.Query.Verified, byPincode.Query.Type, byPincode.Query.Pincode, byPincode.Query.NameContains));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(null, "Pharmacy", null)]
    [InlineData("  ", null, null)]
    [InlineData(null, null, "12345")]
    [InlineData("City", "Spaceport", null)]
    public void GivenAPatientSearchWithoutNameOrPincode_OrWithABadOne_ThenInvalidSearch(string? name, string? type, string? pincode)
    {
        var error = Assert.Throws<DomainException>(() => FacilitySearch.ForPatient(name, type, pincode, null));

        Assert.Equal("INVALID_SEARCH", error.Code);
    }

    [Theory]
    [InlineData(null, null, 5.0)]
    [InlineData(17.0, null, 5.0)]
    [InlineData(17.0, 78.0, null)]
    [InlineData(17.0, 78.0, 0.0)]
    [InlineData(17.0, 78.0, 501.0)]
    public void GivenAnIncompleteOrOutOfRangeDistanceSearch_ThenInvalidSearch(double? lat, double? lon, double? radius)
    {
        var error = Assert.Throws<DomainException>(() =>
            FacilitySearch.Create(null, null, null, null, null, null, null, null, null, lat, lon, radius, null, null));

        Assert.Equal("INVALID_SEARCH", error.Code);
    }

    [Fact]
    public async Task GivenAnUnverifiedProfessional_WhenEnsuredAsPractitioner_ThenProfessionalNotVerified_UntilVerified()
    {
        var service = Professionals(Facilities());
        var doctor = (await service.RegisterAsync(Inputs.Professional(), Partner, default)).Value;

        var error = await Assert.ThrowsAsync<DomainException>(() => service.EnsureVerifiedPractitionerAsync(doctor.Id, default));
        Assert.Equal((ErrorKind.Forbidden, "PROFESSIONAL_NOT_VERIFIED"), (error.Kind, error.Code));

        await service.VerifyAsync(doctor.Id, "admin-1", null, default);
        Assert.True((await service.EnsureVerifiedPractitionerAsync(doctor.Id, default)).Verified);
    }

    [Fact]
    public async Task GivenTwoProfessionalsWithOneName_ThenTheSecondAddressGetsDigits()
    {
        var service = Professionals(Facilities());

        var first = (await service.RegisterAsync(Inputs.Professional(registration: "A1"), Partner, default)).Value;
        var second = (await service.RegisterAsync(Inputs.Professional(registration: "A2"), Partner, default)).Value;

        Assert.Equal("anita.sharma@hpr.sbx", first.HprAddress);
        Assert.Matches("^anita\\.sharma[0-9]{4}@hpr\\.sbx$", second.HprAddress);
    }

    [Fact]
    public async Task GivenAClaimedCouncilRegistration_WhenRegisteredAgain_ThenConflict()
    {
        var service = Professionals(Facilities());
        await service.RegisterAsync(Inputs.Professional(registration: "X-1"), Partner, default);

        var error = await Assert.ThrowsAsync<DomainException>(() => service.RegisterAsync(Inputs.Professional("Other", "X-1"), Partner, default));

        Assert.Equal((ErrorKind.Conflict, "DUPLICATE_COUNCIL_REGISTRATION"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenAnUnknownFacility_WhenAProfessionalNamesIt_ThenUnknownFacility()
    {
        var service = Professionals(Facilities());

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.RegisterAsync(Inputs.Professional(facilities: ["IN2800000001"]), Partner, default));

        Assert.Equal("UNKNOWN_FACILITY", error.Code);
    }
}
