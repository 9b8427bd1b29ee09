using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Registry;
using Ndhm.Registry.Facilities;

namespace Ndhm.UnitTests.Gateway;

public sealed class HipFacilitiesTests
{
    private const string Verified = "IN2810000001";
    private const string Unverified = "IN2810000002";
    private const string Unknown = "IN2810000003";

    private readonly Registry registry = new() { Facilities = { [Verified] = true, [Unverified] = false } };
    private readonly Directory directory = new();

    private HipFacilities Rule() => new(registry, directory);

    [Fact]
    public async Task GivenAHipServingOnlyVerifiedFacilities_WhenRegistered_ThenAccepted() =>
        await Rule().EnsureServableAsync([Roles.Hip], [Verified], CancellationToken.None);

    [Theory]
    [InlineData(Unverified, "FACILITY_NOT_VERIFIED")]
    [InlineData(Unknown, "FACILITY_NOT_FOUND")]
    public async Task GivenAHipServingAFacilityThatIsNotVerified_WhenRegistered_ThenConflictWithTheRegistryCode(string facility, string code)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Rule().EnsureServableAsync([Roles.Hiu, Roles.Hip], [Verified, facility], CancellationToken.None));

        Assert.Equal((ErrorKind.Conflict, code), (error.Kind, error.Code));
        Assert.Contains(facility, error.Detail);
    }

    [Fact]
    public async Task GivenAPartnerThatIsNotAHip_WhenRegisteredWithUnverifiedFacilities_ThenTheRegistryIsNotAsked()
    {
        await Rule().EnsureServableAsync([Roles.Hiu, Roles.Pharmacy], [Unverified, Unknown], CancellationToken.None);

        Assert.Equal(0, registry.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task GivenNoXHipId_WhenARequestArrives_ThenNothingIsChecked(string? header)
    {
        Assert.Null(await Rule().EnsureCallerMayActAsAsync(Caller("anyone", Roles.Hiu), header, CancellationToken.None));
        Assert.Equal(0, registry.Calls);
    }

    [Fact]
    public async Task GivenOneOfTheCallersVerifiedFacilities_WhenNamed_ThenTheRequestActsAsThatHip()
    {
        directory.Serve("city-hospital", Verified);

        Assert.Equal(Verified, await Rule().EnsureCallerMayActAsAsync(Caller("city-hospital", Roles.Hip), Verified, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAFacilityOfAnotherPartner_WhenNamed_ThenForbiddenNotServed()
    {
        directory.Serve("city-hospital", Verified);
        directory.Serve("other-hospital");

        var error = await Assert.ThrowsAsync<DomainException>(() => Rule().EnsureCallerMayActAsAsync(Caller("other-hospital", Roles.Hip), Verified, CancellationToken.None));

        Assert.Equal((ErrorKind.Forbidden, "FACILITY_NOT_SERVED"), (error.Kind, error.Code));
    }

    [Theory]
    [InlineData(Unverified)]
    [InlineData(Unknown)]
    public async Task GivenAServedFacilityTheRegistryDoesNotListAsVerified_WhenNamed_ThenForbiddenNotVerified(string facility)
    {
        directory.Serve("city-hospital", facility);

        var error = await Assert.ThrowsAsync<DomainException>(() => Rule().EnsureCallerMayActAsAsync(Caller("city-hospital", Roles.Hip), facility, CancellationToken.None));

        Assert.Equal((ErrorKind.Forbidden, "FACILITY_NOT_VERIFIED"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenACallerThatIsNotAHip_WhenItNamesAHip_ThenForbidden()
    {
        directory.Serve("lab", Verified);

        var error = await Assert.ThrowsAsync<DomainException>(() => Rule().EnsureCallerMayActAsAsync(Caller("lab", Roles.Hiu), Verified, CancellationToken.None));

        Assert.Equal((ErrorKind.Forbidden, "FORBIDDEN"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenSomethingThatIsNotAFacilityId_WhenNamed_Then400()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Rule().EnsureCallerMayActAsAsync(Caller("x", Roles.Hip), "hospital-1", CancellationToken.None));

        Assert.Equal((ErrorKind.Validation, "INVALID_FACILITY_ID"), (error.Kind, error.Code));
    }

    private static CallerIdentity Caller(string subject, params string[] roles) => new(subject, roles.ToHashSet(), "jti", DateTimeOffset.MaxValue);

    /// <summary>The registry port as the gateway sees it: verified, unverified or unknown.</summary>
    private sealed class Registry : IFacilityRegistry
    {
        public Dictionary<string, bool> Facilities { get; } = [];
        public int Calls { get; private set; }

        public Task<Facility?> FindAsync(FacilityId id, CancellationToken ct) => throw new NotSupportedException();

        public Task<Facility> EnsureVerifiedHipAsync(FacilityId id, CancellationToken ct)
        {
            Calls++;
            return !Facilities.TryGetValue(id.Value, out var verified)
                ? throw new DomainException(ErrorKind.NotFound, RegistryErrors.FacilityNotFound, "No facility has this id.")
                : verified ? Task.FromResult(Facility(id))
                : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.FacilityNotVerified, "The facility is not verified.");
        }

        private static Facility Facility(FacilityId id) => new()
        {
            Id = id, Name = "City Hospital", Type = FacilityType.Hospital, Ownership = FacilityOwnership.Private, SystemsOfMedicine = [],
            Address = new FacilityAddress("1 Main Road", null, "District", "28", "Andhra Pradesh", "500001"),
            Location = new GeoPoint(17.385, 78.4867), Contact = new FacilityContact(null, null, null),
            Verified = true, RegisteredBy = "admin", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    private sealed class Directory : IPartnerDirectory
    {
        private readonly Dictionary<string, PartnerEndpoint> partners = [];

        public void Serve(string partnerId, params string[] facilities) =>
            partners[partnerId] = new PartnerEndpoint(partnerId, new Uri("https://bridge.example.org"), new HashSet<string> { Roles.Hip }, true,
                facilities.ToHashSet());

        public Task<PartnerEndpoint?> FindAsync(string partnerId, CancellationToken ct) => Task.FromResult(partners.GetValueOrDefault(partnerId));
    }
}
