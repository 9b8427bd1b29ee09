using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Registry;
using Ndhm.IntegrationTests.Support;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.IntegrationTests.Registry;

/// <summary>
/// The ports other capabilities call (<see cref="IFacilityRegistry"/>, <see cref="IProfessionalRegistry"/>), wired as
/// AddRegistry wires them, over the sandbox's Cosmos emulator.
/// </summary>
public sealed class RegistryPortsOverCosmosTests : IAsyncLifetime
{
    private CosmosClient client = null!;
    private FacilityService facilities = null!;
    private ProfessionalService professionals = null!;
    private RegistryAudit audit = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
        var settings = SandboxCosmos.Settings;
        client = CosmosClientFactory.Create(settings);
        var database = (await client.CreateDatabaseIfNotExistsAsync(settings.Database)).Database;
        await database.CreateContainerIfNotExistsAsync(CosmosContainers.Registry.Name, CosmosContainers.PartitionKeyPath);
        await PrivacyServicesForTest.EnsureSandboxDatabaseAsync();
        var random = new CryptoRegistryRandom();
        await database.CreateContainerIfNotExistsAsync(CosmosContainers.Audit.Name, CosmosContainers.PartitionKeyPath);
        audit = new RegistryAudit(new Ndhm.Audit.AuditTrail(new Ndhm.Infrastructure.Audit.CosmosAuditStore(client, settings), TimeProvider.System),
            new Ndhm.Infrastructure.Audit.NoCurrentAuditActor());
        facilities = new FacilityService(new CosmosFacilityStore(client, settings), random, TimeProvider.System, audit);
        professionals = new ProfessionalService(new CosmosProfessionalStore(client, settings, TimeProvider.System, PrivacyServicesForTest.Sandbox().Fields), facilities, random,
            TimeProvider.System, new RegistryOptions(), audit);
    }

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    private static FacilityInput Facility() =>
        new("Ports Hospital", "Hospital", "Private", ["Ayurveda"],
            new FacilityAddressInput("1 Road", null, "Ports " + Guid.NewGuid().ToString("N")[..8], "32", null, "682001"),
            new GeoLocationInput(9.93, 76.26), new FacilityContactInput("9876543210", null, null));

    [Fact]
    public async Task GivenAPartnerRegisteredFacility_WhenEnsuredAsHip_ThenForbiddenFacilityNotVerified_ThenAllowedOnceVerified()
    {
        IFacilityRegistry registry = facilities;
        var facility = (await facilities.RegisterAsync(Facility(), new Registrant("hip-ports", false), default)).Value;

        var error = await Assert.ThrowsAsync<DomainException>(() => registry.EnsureVerifiedHipAsync(facility.Id, default));
        Assert.Equal((ErrorKind.Forbidden, "FACILITY_NOT_VERIFIED"), (error.Kind, error.Code));

        await facilities.VerifyAsync(facility.Id, "ops", null, default);
        Assert.Equal(facility.Id, (await registry.EnsureVerifiedHipAsync(facility.Id, default)).Id);
    }

    [Fact]
    public async Task GivenAnUnverifiedProfessional_WhenEnsuredAsPractitioner_ThenForbidden_ThenAllowedOnceVerified()
    {
        IProfessionalRegistry registry = professionals;
        var doctor = (await professionals.RegisterAsync(new ProfessionalInput("Ports Doctor", "doctor", "Kerala Medical Council",
            "KMC-" + Guid.NewGuid().ToString("N")[..10], ["MBBS"], ["Medicine"], ["Malayalam"], []), new Registrant("hip-ports", false), default)).Value;

        var error = await Assert.ThrowsAsync<DomainException>(() => registry.EnsureVerifiedPractitionerAsync(doctor.Id, default));
        Assert.Equal((ErrorKind.Forbidden, "PROFESSIONAL_NOT_VERIFIED"), (error.Kind, error.Code));

        await professionals.VerifyAsync(doctor.Id, "ops", null, default);
        Assert.True((await registry.EnsureVerifiedPractitionerAsync(doctor.Id, default)).Verified);
    }

    [Fact]
    public async Task GivenAVerifiedFacility_WhenDeactivated_ThenEnsuredAsHipIsForbiddenFacilityInactive_UntilReactivated()
    {
        IFacilityRegistry registry = facilities;
        var facility = (await facilities.RegisterAsync(Facility(), new Registrant("ops", true), default)).Value;
        await facilities.DeactivateAsync(facility.Id, "Closed", "ops", null, default);

        var error = await Assert.ThrowsAsync<DomainException>(() => registry.EnsureVerifiedHipAsync(facility.Id, default));
        await facilities.ReactivateAsync(facility.Id, null, default);

        Assert.Equal((ErrorKind.Forbidden, "FACILITY_INACTIVE"), (error.Kind, error.Code));
        Assert.True((await registry.EnsureVerifiedHipAsync(facility.Id, default)).Verified);
    }

    [Fact]
    public async Task GivenAVerifiedProfessional_WhenDeactivated_ThenEnsuredAsPractitionerIsForbiddenProfessionalInactive()
    {
        IProfessionalRegistry registry = professionals;
        var doctor = (await professionals.RegisterAsync(new ProfessionalInput("Lapsed Doctor", "doctor", "Kerala Medical Council",
            "KMC-" + Guid.NewGuid().ToString("N")[..10], ["MBBS"], ["Medicine"], ["Malayalam"], []), new Registrant("hip-ports", false), default)).Value;
        await professionals.VerifyAsync(doctor.Id, "ops", null, default);

        await professionals.DeactivateAsync(doctor.Id, "Registration lapsed", "ops", null, default);
        var error = await Assert.ThrowsAsync<DomainException>(() => registry.EnsureVerifiedPractitionerAsync(doctor.Id, default));

        Assert.Equal((ErrorKind.Forbidden, "PROFESSIONAL_INACTIVE"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenAnOldClaimWhoseOwnerDoesNotHoldIt_ThenANewRegistrationTakesItOver_ButNotAnOldClaimTheOwnerHolds()
    {
        var settings = SandboxCosmos.Settings;
        const string council = "Stale Claim Council";
        var held = "HELD-" + Guid.NewGuid().ToString("N")[..10];
        var stale = "STALE-" + Guid.NewGuid().ToString("N")[..10];
        ProfessionalInput Input(string name, string number) => new(name, "nurse", council, number, ["GNM"], [], ["Hindi"], []);
        // Both claims are old enough to be taken over if orphaned; only the one its owner does not hold is.
        var pastStore = new CosmosProfessionalStore(client, settings,
            new FixedTime(DateTimeOffset.UtcNow - CosmosProfessionalStore.OrphanedClaimAge - TimeSpan.FromMinutes(1)), PrivacyServicesForTest.Sandbox().Fields);
        var owner = (await new ProfessionalService(pastStore, facilities, new CryptoRegistryRandom(), TimeProvider.System, new RegistryOptions(), audit)
            .RegisterAsync(Input("Claim Owner", held), new Registrant("hip-ports", false), default)).Value;
        // As if an update of the owner to this number lost its write race and never released the claim.
        Assert.True(await pastStore.TryClaimCouncilRegistrationAsync(council, stale, owner.Id, default));

        var taker = await professionals.RegisterAsync(Input("Claim Taker", stale), new Registrant("hip-ports", false), default);
        var stillHeld = await Assert.ThrowsAsync<DomainException>(() =>
            professionals.RegisterAsync(Input("Too Late", held), new Registrant("hip-ports", false), default));

        Assert.Equal(stale.ToUpperInvariant(), taker.Value.RegistrationNumber);
        Assert.Equal("DUPLICATE_COUNCIL_REGISTRATION", stillHeld.Code);
    }

    [Fact]
    public async Task GivenTwoWritersWithTheSameETag_WhenBothReplace_ThenTheSecondGetsConcurrentUpdate()
    {
        var store = new CosmosFacilityStore(client, SandboxCosmos.Settings);
        var registered = await facilities.RegisterAsync(Facility(), new Registrant("hip-ports", false), default);

        await store.ReplaceAsync(registered.Value with { Name = "Writer One" }, registered.ETag, default);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            store.ReplaceAsync(registered.Value with { Name = "Writer Two" }, registered.ETag, default));

        Assert.Equal((ErrorKind.PreconditionFailed, "CONCURRENT_UPDATE"), (error.Kind, error.Code));
        Assert.Equal("Writer One", (await store.FindAsync(registered.Value.Id, default))!.Value.Name);
    }

    [Fact]
    public async Task GivenAClaimWhoseProfessionalWasNeverWritten_WhenOldEnough_ThenANewRegistrationTakesItOver_ButNotWhileYoung()
    {
        var settings = SandboxCosmos.Settings;
        var council = "Orphan Council";
        var oldNumber = "OLD-" + Guid.NewGuid().ToString("N")[..10];
        var youngNumber = "NEW-" + Guid.NewGuid().ToString("N")[..10];
        var past = new FixedTime(DateTimeOffset.UtcNow - CosmosProfessionalStore.OrphanedClaimAge - TimeSpan.FromMinutes(1));
        // As if a registration crashed after writing its claims: the claimed HPR id has no professional.
        Assert.True(await new CosmosProfessionalStore(client, settings, past, PrivacyServicesForTest.Sandbox().Fields)
            .TryClaimCouncilRegistrationAsync(council, oldNumber, HprId.NewRandom(new CryptoRegistryRandom()), default));
        Assert.True(await new CosmosProfessionalStore(client, settings, TimeProvider.System, PrivacyServicesForTest.Sandbox().Fields)
            .TryClaimCouncilRegistrationAsync(council, youngNumber, HprId.NewRandom(new CryptoRegistryRandom()), default));
        ProfessionalInput Input(string number) => new("Orphan Taker", "nurse", council, number, ["GNM"], [], ["Hindi"], []);

        var taken = await professionals.RegisterAsync(Input(oldNumber), new Registrant("hip-ports", false), default);
        var young = await Assert.ThrowsAsync<DomainException>(() =>
            professionals.RegisterAsync(Input(youngNumber), new Registrant("hip-ports", false), default));

        Assert.Equal(oldNumber.ToUpperInvariant(), taken.Value.RegistrationNumber);
        Assert.Equal("DUPLICATE_COUNCIL_REGISTRATION", young.Code);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
