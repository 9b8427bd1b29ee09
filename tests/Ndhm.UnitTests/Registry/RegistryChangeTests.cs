using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.UnitTests.Registry;

/// <summary>Updating professionals, and deactivating and reactivating facilities and professionals.</summary>
public sealed class RegistryChangeTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryFacilityStore facilityStore = new();
    private readonly Audit.InMemoryAuditStore auditStore = new();
    private readonly InMemoryProfessionalStore professionalStore = new();
    private readonly FacilityService facilities;
    private readonly ProfessionalService professionals;
    private static readonly Registrant Partner = new("hip-1", false);
    private static readonly Registrant OtherPartner = new("hip-2", false);
    private static readonly Registrant Admin = new("admin-1", true);

    public RegistryChangeTests()
    {
        var audit = new RegistryAudit(new Ndhm.Audit.AuditTrail(auditStore, time), new Ndhm.Infrastructure.Audit.NoCurrentAuditActor());
        facilities = new FacilityService(facilityStore, new CryptoRegistryRandom(), time, audit);
        professionals = new ProfessionalService(professionalStore, facilities, new CryptoRegistryRandom(), time,
            new RegistryOptions { HprAddressSuffix = "hpr.sbx" }, audit);
    }

    private static ProfessionalInput Doctor(string registration = "TSMC/1", string council = "Telangana State Medical Council",
        IReadOnlyList<string>? qualifications = null, IReadOnlyList<string>? languages = null, IReadOnlyList<string>? facilityIds = null,
        string name = "Anita Sharma") =>
        new(name, "doctor", council, registration, qualifications ?? ["MBBS", "MD"], ["Cardiology"], languages ?? ["English"], facilityIds ?? []);

    private async Task<Versioned<Professional>> VerifiedDoctorAsync(ProfessionalInput input)
    {
        var registered = await professionals.RegisterAsync(input, Partner, default);
        return await professionals.VerifyAsync(registered.Value.Id, "admin-1", null, default);
    }

    private static async Task<DomainException> FailsAsync(Func<Task> action) => await Assert.ThrowsAsync<DomainException>(action);

    [Theory]
    [InlineData("registration")]
    [InlineData("council")]
    [InlineData("qualifications")]
    [InlineData("name")]
    public async Task GivenAVerifiedProfessional_WhenTheirPartnerChangesACheckedFact_ThenVerificationIsWithdrawn(string fact)
    {
        var verified = await VerifiedDoctorAsync(Doctor());
        var changed = fact switch
        {
            "registration" => Doctor(registration: "TSMC/2"),
            "council" => Doctor(council: "Andhra Pradesh Medical Council"),
            "qualifications" => Doctor(qualifications: ["MBBS", "MD", "DM"]),
            _ => Doctor(name: "Anita Rao"),
        };

        var updated = await professionals.UpdateAsync(verified.Value.Id, changed, verified.ETag, Partner, default);

        Assert.False(updated.Value.Verified);
        Assert.Null(updated.Value.VerifiedAt);
        var error = await FailsAsync(() => professionals.EnsureVerifiedPractitionerAsync(verified.Value.Id, default));
        Assert.Equal("PROFESSIONAL_NOT_VERIFIED", error.Code);
    }

    [Fact]
    public async Task GivenAVerifiedProfessional_WhenTheirPartnerChangesLanguagesOrReordersQualifications_ThenVerificationIsKept()
    {
        var verified = await VerifiedDoctorAsync(Doctor());

        var updated = await professionals.UpdateAsync(verified.Value.Id,
            Doctor(qualifications: ["md", "MBBS"], languages: ["English", "Hindi"]), verified.ETag, Partner, default);

        Assert.True(updated.Value.Verified);
        Assert.Equal(["English", "Hindi"], updated.Value.Languages);
    }

    [Fact]
    public async Task GivenAVerifiedProfessional_WhenAnAdminCorrectsTheRegistrationNumber_ThenVerificationIsKept()
    {
        var verified = await VerifiedDoctorAsync(Doctor());

        var updated = await professionals.UpdateAsync(verified.Value.Id, Doctor(registration: "TSMC/9"), verified.ETag, Admin, default);

        Assert.True(updated.Value.Verified);
        Assert.Equal("TSMC/9", updated.Value.RegistrationNumber);
    }

    [Fact]
    public async Task GivenAProfessional_WhenRenamed_ThenTheHprIdAndAddressStay()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);

        var updated = await professionals.UpdateAsync(registered.Value.Id, Doctor(name: "Anita Rao"), registered.ETag, Partner, default);

        Assert.Equal("Anita Rao", updated.Value.Name);
        Assert.Equal((registered.Value.Id, "anita.sharma@hpr.sbx"), (updated.Value.Id, updated.Value.HprAddress));
    }

    [Fact]
    public async Task GivenAnotherPartnersProfessional_WhenAPartnerUpdatesThem_ThenNotProfessionalOwner()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);

        var error = await FailsAsync(() => professionals.UpdateAsync(registered.Value.Id, Doctor(name: "Taken Over"), registered.ETag, OtherPartner, default));

        Assert.Equal((ErrorKind.Forbidden, "NOT_PROFESSIONAL_OWNER"), (error.Kind, error.Code));
        Assert.Equal("Anita Sharma", (await professionals.GetAsync(registered.Value.Id, default)).Value.Name);
    }

    [Fact]
    public async Task GivenAStaleETag_WhenUpdatingAProfessional_ThenConcurrentUpdate()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);
        await professionals.UpdateAsync(registered.Value.Id, Doctor(name: "First Writer"), registered.ETag, Partner, default);

        var error = await FailsAsync(() => professionals.UpdateAsync(registered.Value.Id, Doctor(name: "Second Writer"), registered.ETag, Partner, default));

        Assert.Equal((ErrorKind.PreconditionFailed, "CONCURRENT_UPDATE"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenAnInvalidBody_WhenUpdatingAProfessional_ThenTheRegistrationValidationCodeAndNothingChanges()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);

        var error = await FailsAsync(() =>
            professionals.UpdateAsync(registered.Value.Id, Doctor() with { Category = "surgeon" }, registered.ETag, Partner, default));

        Assert.Equal("INVALID_CATEGORY", error.Code);
        Assert.Equal(registered.ETag, (await professionals.GetAsync(registered.Value.Id, default)).ETag);
    }

    [Fact]
    public async Task GivenAChangedRegistrationNumber_ThenTheNewOneIsClaimedAndTheOldOneIsFreeForOthers()
    {
        var registered = await professionals.RegisterAsync(Doctor(registration: "OLD-1"), Partner, default);

        await professionals.UpdateAsync(registered.Value.Id, Doctor(registration: "NEW-1"), registered.ETag, Partner, default);

        var duplicate = await FailsAsync(() => professionals.RegisterAsync(Doctor(registration: "NEW-1", name: "Someone Else"), Partner, default));
        Assert.Equal("DUPLICATE_COUNCIL_REGISTRATION", duplicate.Code);
        var reuse = await professionals.RegisterAsync(Doctor(registration: "OLD-1", name: "Someone Else"), Partner, default);
        Assert.Equal("OLD-1", reuse.Value.RegistrationNumber);
    }

    [Fact]
    public async Task GivenARegistrationNumberHeldByAnother_WhenAProfessionalChangesToIt_ThenDuplicateAndNothingChanges()
    {
        await professionals.RegisterAsync(Doctor(registration: "HELD-1"), Partner, default);
        var other = await professionals.RegisterAsync(Doctor(registration: "MINE-1", name: "Ravi Kumar"), Partner, default);

        var error = await FailsAsync(() =>
            professionals.UpdateAsync(other.Value.Id, Doctor(registration: "HELD-1", name: "Ravi Kumar"), other.ETag, Partner, default));

        Assert.Equal((ErrorKind.Conflict, "DUPLICATE_COUNCIL_REGISTRATION"), (error.Kind, error.Code));
        Assert.Equal("MINE-1", (await professionals.GetAsync(other.Value.Id, default)).Value.RegistrationNumber);
    }

    [Fact]
    public async Task GivenAnUpdateThatLosesTheWriteRace_ThenTheNewRegistrationNumberIsReleasedAndTheOldOneKept()
    {
        var registered = await professionals.RegisterAsync(Doctor(registration: "KEEP-1"), Partner, default);
        professionalStore.LoseNextReplace = true;

        var error = await FailsAsync(() => professionals.UpdateAsync(registered.Value.Id, Doctor(registration: "LOST-1"), registered.ETag, Partner, default));

        Assert.Equal("CONCURRENT_UPDATE", error.Code);
        Assert.Equal("LOST-1", (await professionals.RegisterAsync(Doctor(registration: "LOST-1", name: "Other"), Partner, default)).Value.RegistrationNumber);
        var keep = await FailsAsync(() => professionals.RegisterAsync(Doctor(registration: "KEEP-1", name: "Other"), Partner, default));
        Assert.Equal("DUPLICATE_COUNCIL_REGISTRATION", keep.Code);
    }

    [Fact]
    public async Task GivenADeactivatedFacility_WhenAProfessionalIsNewlyListedThere_ThenFacilityInactive_ButAnExistingListingSurvivesUpdates()
    {
        var open = (await facilities.RegisterAsync(Inputs.Facility("Open"), Partner, default)).Value.Id;
        var closing = (await facilities.RegisterAsync(Inputs.Facility("Closing"), Partner, default)).Value.Id;
        var registered = await professionals.RegisterAsync(Doctor(facilityIds: [closing.Value]), Partner, default);
        var closed = (await facilities.RegisterAsync(Inputs.Facility("Closed"), Partner, default)).Value.Id;
        await facilities.DeactivateAsync(closing, "Closed down", "admin-1", null, default);
        await facilities.DeactivateAsync(closed, "Closed down", "admin-1", null, default);

        var newListing = await FailsAsync(() => professionals.RegisterAsync(Doctor(registration: "X-2", facilityIds: [closed.Value]), Partner, default));
        var updated = await professionals.UpdateAsync(registered.Value.Id, Doctor(facilityIds: [closing.Value, open.Value]), registered.ETag, Partner, default);

        Assert.Equal((ErrorKind.Validation, "FACILITY_INACTIVE"), (newListing.Kind, newListing.Code));
        Assert.Equal([closing, open], updated.Value.FacilityIds);
    }

    [Fact]
    public async Task GivenAnotherPartnersFacility_WhenAPartnerListsAProfessionalThere_ThenForbidden_ButTheOwnerAndAnAdminMay()
    {
        var theirs = (await facilities.RegisterAsync(Inputs.Facility("Theirs"), OtherPartner, default)).Value.Id;
        var mine = (await facilities.RegisterAsync(Inputs.Facility("Mine"), Partner, default)).Value.Id;
        var registered = await professionals.RegisterAsync(Doctor(facilityIds: [mine.Value]), Partner, default);

        var onRegister = await FailsAsync(() => professionals.RegisterAsync(Doctor(registration: "X-9", facilityIds: [theirs.Value]), Partner, default));
        var onUpdate = await FailsAsync(() =>
            professionals.UpdateAsync(registered.Value.Id, Doctor(facilityIds: [mine.Value, theirs.Value]), registered.ETag, Partner, default));
        var byOwner = await professionals.RegisterAsync(Doctor(registration: "X-10", facilityIds: [theirs.Value]), OtherPartner, default);
        var byAdmin = await professionals.RegisterAsync(Doctor(registration: "X-11", facilityIds: [theirs.Value]), Admin, default);

        Assert.Equal((ErrorKind.Forbidden, "NOT_FACILITY_OWNER"), (onRegister.Kind, onRegister.Code));
        Assert.Equal((ErrorKind.Forbidden, "NOT_FACILITY_OWNER"), (onUpdate.Kind, onUpdate.Code));
        Assert.Equal([theirs], byOwner.Value.FacilityIds);
        Assert.Equal([theirs], byAdmin.Value.FacilityIds);
    }

    [Fact]
    public async Task GivenAVerifiedFacility_WhenDeactivated_ThenItMayNotActAsHip_UntilReactivated()
    {
        var facility = (await facilities.RegisterAsync(Inputs.Facility(), Admin, default)).Value;

        var deactivated = await facilities.DeactivateAsync(facility.Id, "  Closed   for good ", "admin-2", null, default);
        var refused = await FailsAsync(() => facilities.EnsureVerifiedHipAsync(facility.Id, default));
        await facilities.ReactivateAsync(facility.Id, null, default);

        Assert.Equal(("Closed for good", "admin-2", time.GetUtcNow()), (deactivated.Value.Deactivation!.Reason, deactivated.Value.Deactivation.By, deactivated.Value.Deactivation.At));
        Assert.True(deactivated.Value.Verified);
        Assert.Equal((ErrorKind.Forbidden, "FACILITY_INACTIVE"), (refused.Kind, refused.Code));
        Assert.True((await facilities.EnsureVerifiedHipAsync(facility.Id, default)).Active);
    }

    [Fact]
    public async Task GivenAVerifiedProfessional_WhenDeactivated_ThenTheyMayNotPractise_UntilReactivated()
    {
        var verified = await VerifiedDoctorAsync(Doctor());

        await professionals.DeactivateAsync(verified.Value.Id, "Registration lapsed", "admin-1", null, default);
        var refused = await FailsAsync(() => professionals.EnsureVerifiedPractitionerAsync(verified.Value.Id, default));
        await professionals.ReactivateAsync(verified.Value.Id, null, default);

        Assert.Equal((ErrorKind.Forbidden, "PROFESSIONAL_INACTIVE"), (refused.Kind, refused.Code));
        Assert.Equal(verified.Value.Id, (await professionals.EnsureVerifiedPractitionerAsync(verified.Value.Id, default)).Id);
    }

    [Fact]
    public async Task GivenAnUnknownProfessional_WhenEnsuredAsPractitioner_ThenNotFound()
    {
        var error = await FailsAsync(() => professionals.EnsureVerifiedPractitionerAsync(HprId.Parse("71362452387254"), default));

        Assert.Equal((ErrorKind.NotFound, "PROFESSIONAL_NOT_FOUND"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenADeactivatedProfessional_WhenUpdatedOrVerified_ThenConflictProfessionalInactive()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);
        var deactivated = await professionals.DeactivateAsync(registered.Value.Id, "Struck off", "admin-1", null, default);

        var update = await FailsAsync(() => professionals.UpdateAsync(registered.Value.Id, Doctor(name: "New Name"), deactivated.ETag, Admin, default));
        var verify = await FailsAsync(() => professionals.VerifyAsync(registered.Value.Id, "admin-1", null, default));

        Assert.Equal((ErrorKind.Conflict, "PROFESSIONAL_INACTIVE"), (update.Kind, update.Code));
        Assert.Equal((ErrorKind.Conflict, "PROFESSIONAL_INACTIVE"), (verify.Kind, verify.Code));
    }

    [Fact]
    public async Task GivenADeactivatedFacility_WhenUpdated_ThenConflictFacilityInactive()
    {
        var registered = await facilities.RegisterAsync(Inputs.Facility(), Partner, default);
        var deactivated = await facilities.DeactivateAsync(registered.Value.Id, "Closed", "admin-1", null, default);

        var error = await FailsAsync(() => facilities.UpdateAsync(registered.Value.Id, Inputs.Facility("Reopened?"), deactivated.ETag, Partner, default));

        Assert.Equal((ErrorKind.Conflict, "FACILITY_INACTIVE"), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenADeactivatedProfessional_WhenDeactivatedAgain_ThenTheFirstReasonStaysAndNothingIsWritten()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);
        var first = await professionals.DeactivateAsync(registered.Value.Id, "First reason", "admin-1", null, default);
        time.Advance(TimeSpan.FromHours(1));

        var second = await professionals.DeactivateAsync(registered.Value.Id, "Second reason", "admin-2", null, default);

        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal("First reason", second.Value.Deactivation!.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task GivenNoReason_WhenDeactivating_ThenInvalidDeactivationReason(string? reason)
    {
        var registered = await facilities.RegisterAsync(Inputs.Facility(), Partner, default);

        var error = await FailsAsync(() => facilities.DeactivateAsync(registered.Value.Id, reason, "admin-1", null, default));

        Assert.Equal((ErrorKind.Validation, "INVALID_DEACTIVATION_REASON"), (error.Kind, error.Code));
        Assert.True((await facilities.GetAsync(registered.Value.Id, default)).Value.Active);
    }

    [Fact]
    public async Task GivenAReasonOverTheLimit_WhenDeactivating_ThenInvalidDeactivationReason()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);

        var error = await FailsAsync(() => professionals.DeactivateAsync(registered.Value.Id,
            new string('x', Deactivation.MaxReasonLength + 1), "admin-1", null, default));

        Assert.Equal("INVALID_DEACTIVATION_REASON", error.Code);
    }

    [Fact]
    public async Task GivenAStaleIfMatch_WhenDeactivating_ThenConcurrentUpdateAndStillActive()
    {
        var registered = await professionals.RegisterAsync(Doctor(), Partner, default);
        await professionals.UpdateAsync(registered.Value.Id, Doctor(name: "Changed Meanwhile"), registered.ETag, Partner, default);

        var error = await FailsAsync(() => professionals.DeactivateAsync(registered.Value.Id, "Lapsed", "admin-1", registered.ETag, default));

        Assert.Equal("CONCURRENT_UPDATE", error.Code);
        Assert.True((await professionals.GetAsync(registered.Value.Id, default)).Value.Active);
    }

    [Fact]
    public async Task GivenActiveAndDeactivatedProfessionals_WhenSearched_ThenTheStatusFilterSelects_ActiveByDefault()
    {
        var active = (await professionals.RegisterAsync(Doctor(registration: "A-1"), Partner, default)).Value.Id;
        var gone = (await professionals.RegisterAsync(Doctor(registration: "G-1"), Partner, default)).Value.Id;
        await professionals.DeactivateAsync(gone, "Retired", "admin-1", null, default);

        async Task<List<HprId>> Search(string? status) =>
            (await professionals.SearchAsync(ProfessionalSearch.Create(null, null, null, null, null, null, status, null, null), default))
            .Items.Select(p => p.Id).ToList();

        Assert.Equal([active], await Search(null));
        Assert.Equal([gone], await Search("DEACTIVATED"));
        Assert.Equal(new[] { active, gone }.OrderBy(i => i.Value, StringComparer.Ordinal), await Search("all"));
    }

    [Fact]
    public void GivenAnUnknownStatus_WhenSearching_ThenInvalidSearch()
    {
        var error = Assert.Throws<DomainException>(() => FacilitySearch.Create(null, null, null, null, null, null, null, null, "closed",
            null, null, null, null, null));

        Assert.Equal("INVALID_SEARCH", error.Code);
    }

    [Fact]
    public async Task GivenAnAdminVerifiesAndDeactivatesAFacility_WhenDone_ThenBothChangesAreOnTheFacilitysChain()
    {
        var registered = await facilities.RegisterAsync(Inputs.Facility(), Partner, default);
        var id = registered.Value.Id;

        await facilities.VerifyAsync(id, "admin-1", null, default);
        await facilities.VerifyAsync(id, "admin-1", null, default);
        await facilities.DeactivateAsync(id, "closed", "admin-1", null, default);

        var chain = auditStore.Chains[Ndhm.Audit.AuditChainKey.Facility(id.Value)].Values.Select(e => e.Read()).ToList();
        Assert.Equal(["facility.verify", "facility.deactivate"], chain.Select(e => e.Action));
        Assert.All(chain, e => Assert.Equal(("admin-1", id.Value), (e.Actor.Subject, e.Resource.Id)));
    }

    [Fact]
    public async Task GivenTheAuditTrailIsDown_WhenAnAdminVerifiesAFacility_ThenTheChangeIsNotMade()
    {
        var registered = await facilities.RegisterAsync(Inputs.Facility(), Partner, default);
        auditStore.FailAppendsWith = new TimeoutException("audit store away");

        await Assert.ThrowsAsync<TimeoutException>(() => facilities.VerifyAsync(registered.Value.Id, "admin-1", null, default));

        Assert.False(facilityStore.Items[registered.Value.Id.Value].Value.Verified);
    }
}
