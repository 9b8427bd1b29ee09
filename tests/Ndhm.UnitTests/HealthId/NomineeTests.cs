using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Nominees;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;
using Ndhm.Privacy.Export;

namespace Ndhm.UnitTests.HealthId;

public sealed class NomineeTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly AbhaAddressOptions Addresses = new();
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;
    private readonly InMemoryNominations nominations = new();
    private readonly NomineeService service;
    private readonly NomineeAuthority authority;
    private readonly AbhaAccountService lifecycle;

    public NomineeTests()
    {
        rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100 });
        var lookup = new AbhaAccountLookup(rig.Accounts, rig.Claims, Addresses);
        var audit = new HealthIdAudit(rig.Audit, new NoCurrentActor());
        service = new NomineeService(nominations, lookup, audit, time);
        authority = new NomineeAuthority(nominations, lookup);
        lifecycle = new AbhaAccountService(rig.Accounts, rig.Claims, rig.Otp, time, audit, [new NomineeErasure(nominations)]);
    }

    /// <summary>Enrols a sandbox KYC identity and links <paramref name="handle"/>.</summary>
    private async Task<AbhaNumber> EnrolAsync(string aadhaar, string handle)
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse(aadhaar), None);
        var number = (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None)).Account.AbhaNumber;
        await rig.Enrolment.CreateAbhaAddressAsync(number, handle, true, None);
        time.Advance(TimeSpan.FromMinutes(1));
        return number;
    }

    private Task<AbhaNumber> AshaAsync() => EnrolAsync("999900000016", "asha.verma");

    private Task<AbhaNumber> RaviAsync() => EnrolAsync("999900000028", "ravi.kumar");

    private static NomineeDetails Nominee(string handle, NomineeRelationship relationship = NomineeRelationship.Spouse) =>
        NomineeRules.Details(handle, "Ravi Kumar", NomineeRules.Code(relationship), "9000000002", Addresses.Suffix);

    private List<string> Actions() => rig.Audit.Events.Where(e => e.Resource.Type == NomineeService.ResourceType).Select(e => e.Action).ToList();

    [Fact]
    public async Task GivenAnotherActiveAbha_WhenThePatientNamesIt_ThenTheNominationIsStoredInert_AndTheSetIsAudited()
    {
        var asha = await AshaAsync();
        var ravi = await RaviAsync();

        var nomination = await service.SetAsync(asha, Nominee("ravi.kumar"), None);

        Assert.Equal((NominationStatus.Nominated, ravi, "ravi.kumar@sbx"), (nomination.Status, nomination.NomineeAbhaNumber, nomination.NomineeAbhaAddress.Value));
        Assert.Equal(nomination, nominations.Stored(asha));
        Assert.Equal([NomineeService.SetAction], Actions());
        var recorded = rig.Audit.Events[^1];
        Assert.Equal(($"patient:{asha.Digits}", asha.Digits, "SPOUSE"), (recorded.Chain, recorded.Resource.Id, recorded.Outcome));
        Assert.Null(await authority.CanActForAsync("ravi.kumar@sbx", asha.Digits, None));
    }

    [Fact]
    public async Task GivenThePatientsOwnAddress_WhenNamedAsNominee_ThenNomineeSelf_AndNothingIsStoredOrAudited()
    {
        var asha = await AshaAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => service.SetAsync(asha, Nominee("asha.verma"), None));

        Assert.Equal((ErrorKind.Validation, NomineeErrors.Self), (error.Kind, error.Code));
        Assert.Null(nominations.Stored(asha));
        Assert.Empty(Actions());
    }

    [Fact]
    public async Task GivenAnAddressNobodyHolds_WhenNamed_ThenNotEligible()
    {
        var asha = await AshaAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => service.SetAsync(asha, Nominee("nobody.here"), None));

        Assert.Equal(NomineeErrors.NotEligible, error.Code);
        Assert.Null(nominations.Stored(asha));
    }

    [Fact]
    public async Task GivenADeactivatedAbha_WhenNamed_ThenNotEligible_TheSameAnswerAsForAnUnknownOne()
    {
        var asha = await AshaAsync();
        var ravi = await RaviAsync();
        await DeactivateAsync(ravi);

        var error = await Assert.ThrowsAsync<DomainException>(() => service.SetAsync(asha, Nominee("ravi.kumar"), None));

        Assert.Equal((ErrorKind.Validation, NomineeErrors.NotEligible), (error.Kind, error.Code));
    }

    [Fact]
    public async Task GivenANomination_WhenAnAdminActivatesItOnEvidence_ThenTheNomineeMayActForThePatient_ByAddressOrNumber()
    {
        var asha = await AshaAsync();
        var ravi = await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);

        var activated = await service.ActivateAsync(asha, NominationActivationReason.Incapacity, "MB/2026/1187", "ops-1", None);

        Assert.Equal((NominationStatus.Active, "INCAPACITY", "MB/2026/1187", "ops-1"),
            (activated.Status, activated.Activation!.Reason, activated.Activation.EvidenceReference, activated.Activation.DecidedBy));
        var byAddress = await authority.CanActForAsync("ravi.kumar@sbx", asha.Digits, None);
        var byNumber = await authority.CanActForAsync(ravi.Formatted, "asha.verma@sbx", None);
        Assert.NotNull(byAddress);
        Assert.Equal(byAddress, byNumber);
        Assert.Equal($"nominee ravi.kumar@sbx ({ravi.Digits}) for patient {asha.Digits}", byAddress!.Describe());
        Assert.Equal(("INCAPACITY", NomineeRelationship.Spouse), (byAddress.Reason, byAddress.Relationship));
        var recorded = rig.Audit.Events[^1];
        Assert.Equal((NomineeService.ActivateAction, "INCAPACITY", "ACTIVE"), (recorded.Action, recorded.Purpose, recorded.Outcome));
    }

    [Fact]
    public async Task GivenAnActiveNomination_WhenSomeoneElseOrThePatientAsks_ThenOnlyTheNomineeMayAct()
    {
        var asha = await AshaAsync();
        await RaviAsync();
        var third = await EnrolAsync("999900000037", "meenakshi.s");
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);
        await service.ActivateAsync(asha, NominationActivationReason.Death, "DC-2026-PUNE-0042", "ops-1", None);

        Assert.Null(await authority.CanActForAsync(third.Digits, asha.Digits, None));
        Assert.Null(await authority.CanActForAsync(asha.Digits, asha.Digits, None));
        Assert.Null(await authority.CanActForAsync("not an abha", asha.Digits, None));
        Assert.Null(await authority.CanActForAsync("ravi.kumar@sbx", third.Digits, None));
    }

    [Fact]
    public async Task GivenAnActiveNomination_WhenTheNomineesOwnAbhaIsDeactivated_ThenTheyMayNotAct()
    {
        var asha = await AshaAsync();
        var ravi = await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);
        await service.ActivateAsync(asha, NominationActivationReason.Death, "DC-2026-PUNE-0042", "ops-1", None);

        await DeactivateAsync(ravi);

        Assert.Null(await authority.CanActForAsync("ravi.kumar@sbx", asha.Digits, None));
    }

    [Fact]
    public async Task GivenAnActiveNomination_WhenThePatientReplacesTheNominee_ThenTheNewOneIsInertAgain_AndTheReplaceIsAudited()
    {
        var asha = await AshaAsync();
        await RaviAsync();
        await EnrolAsync("999900000037", "meenakshi.s");
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);
        await service.ActivateAsync(asha, NominationActivationReason.Incapacity, "MB/2026/1187", "ops-1", None);

        var replaced = await service.SetAsync(asha, Nominee("meenakshi.s", NomineeRelationship.Parent), None);

        Assert.Equal((NominationStatus.Nominated, null, NomineeRelationship.Parent), (replaced.Status, replaced.Activation, replaced.Relationship));
        Assert.Null(await authority.CanActForAsync("meenakshi.s@sbx", asha.Digits, None));
        Assert.Null(await authority.CanActForAsync("ravi.kumar@sbx", asha.Digits, None));
        Assert.Equal([NomineeService.SetAction, NomineeService.ActivateAction, NomineeService.ReplaceAction], Actions());
    }

    [Fact]
    public async Task GivenAnActiveNomination_WhenDeactivated_ThenTheNomineeMayNoLongerAct_AndTheDecisionIsKept()
    {
        var asha = await AshaAsync();
        await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);
        await service.ActivateAsync(asha, NominationActivationReason.Incapacity, "MB/2026/1187", "ops-1", None);

        var deactivated = await service.DeactivateAsync(asha, NominationDeactivationReason.Recovered, null, "ops-2", None);

        Assert.Equal((NominationStatus.Nominated, "RECOVERED", "ops-2"), (deactivated.Status, deactivated.LastDeactivation!.Reason, deactivated.LastDeactivation.DecidedBy));
        Assert.Null(await authority.CanActForAsync("ravi.kumar@sbx", asha.Digits, None));
        var again = await Assert.ThrowsAsync<DomainException>(() =>
            service.DeactivateAsync(asha, NominationDeactivationReason.Recovered, null, "ops-2", None));
        Assert.Equal((ErrorKind.Conflict, NomineeService.NotActive), (again.Kind, again.Code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task GivenNoEvidence_WhenAnAdminActivates_ThenRefused_AndNothingChanges(string? evidence)
    {
        var asha = await AshaAsync();
        await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.ActivateAsync(asha, NominationActivationReason.Death, evidence!, "ops-1", None));

        Assert.Equal(NomineeErrors.EvidenceInvalid, error.Code);
        Assert.False(nominations.Stored(asha)!.IsActive);
    }

    [Fact]
    public async Task GivenNoNomination_WhenReadRemovedOrActivated_ThenNomineeNotFound()
    {
        var asha = await AshaAsync();

        foreach (var call in new Func<Task>[]
                 {
                     () => service.GetAsync(asha, None), () => service.RemoveAsync(asha, None),
                     () => service.ActivateAsync(asha, NominationActivationReason.Death, "DC-1", "ops-1", None),
                 })
        {
            var error = await Assert.ThrowsAsync<DomainException>(call);
            Assert.Equal((ErrorKind.NotFound, NomineeErrors.NotFound), (error.Kind, error.Code));
        }

        Assert.Empty(Actions());
    }

    [Fact]
    public async Task GivenANomination_WhenReadAndRemoved_ThenEachIsAudited_AndItIsGone()
    {
        var asha = await AshaAsync();
        await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);

        var read = await service.GetAsync(asha, None);
        await service.RemoveAsync(asha, None);

        Assert.Equal("Ravi Kumar", read.NomineeName);
        Assert.Null(nominations.Stored(asha));
        Assert.Equal([NomineeService.SetAction, NomineeService.ReadAction, NomineeService.RemoveAction], Actions());
    }

    [Fact]
    public async Task GivenANomination_WhenThePatientIsErased_ThenTheNominationIsDeleted()
    {
        var asha = await AshaAsync();
        await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);
        await service.ActivateAsync(asha, NominationActivationReason.Incapacity, "MB/2026/1187", "ops-1", None);
        var txnId = (await lifecycle.RequestConfirmationOtpAsync(asha, OtpPurpose.AccountDeletion, null, None)).TxnId;

        await lifecycle.EraseAsync(asha, txnId, rig.LastOtp, None);

        Assert.Null(nominations.Stored(asha));
        Assert.Null(await authority.CanActForAsync("ravi.kumar@sbx", asha.Digits, None));
    }

    [Fact]
    public async Task GivenANomination_WhenExported_ThenTheSectionShowsTheNomineeButNotTheirAbhaNumber()
    {
        var asha = await AshaAsync();
        var ravi = await RaviAsync();
        await service.SetAsync(asha, Nominee("ravi.kumar"), None);

        var section = await new NomineeExportSection(nominations).ExportAsync(new PatientDataSubject(asha.Digits), None);

        Assert.Equal(("ravi.kumar@sbx", "SPOUSE", "NOMINATED", "9000000002"), (section!["abhaAddress"]!.GetValue<string>(),
            section["relationship"]!.GetValue<string>(), section["status"]!.GetValue<string>(), section["mobile"]!.GetValue<string>()));
        Assert.DoesNotContain(ravi.Digits, section.ToJsonString().Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Null(await new NomineeExportSection(nominations).ExportAsync(new PatientDataSubject(ravi.Digits), None));
    }

    [Theory]
    [InlineData("ravi.kumar", "Ravi Kumar", "COUSIN", null, ErrorCodes.InvalidRequest)]
    [InlineData("ravi.kumar", "Ravi Kumar", null, null, ErrorCodes.InvalidRequest)]
    [InlineData("ravi.kumar", "R4vi", "SPOUSE", null, HealthIdErrors.NameInvalid)]
    [InlineData("ravi.kumar", " ", "SPOUSE", null, ErrorCodes.InvalidRequest)]
    [InlineData("ravi.kumar@abdm", "Ravi Kumar", "SPOUSE", null, HealthIdErrors.AbhaAddressInvalid)]
    [InlineData("ravi.kumar", "Ravi Kumar", "SPOUSE", "12345", HealthIdErrors.MobileInvalid)]
    public void GivenABadField_WhenTheNomineeIsRead_ThenTheFieldsCode(string address, string? name, string? relationship, string? mobile, string code)
    {
        var error = Assert.Throws<DomainException>(() => NomineeRules.Details(address, name, relationship, mobile, Addresses.Suffix));

        Assert.Equal((ErrorKind.Validation, code), (error.Kind, error.Code));
    }

    [Fact]
    public void GivenRelationshipsInAnyCase_WhenRead_ThenEachMapsToItsCode()
    {
        var read = new[] { "spouse", "PARENT", "Child", "sibling", "other" }
            .Select(r => NomineeRules.Details("ravi.kumar", "Ravi Kumar", r, null, Addresses.Suffix).Relationship);

        Assert.Equal([NomineeRelationship.Spouse, NomineeRelationship.Parent, NomineeRelationship.Child, NomineeRelationship.Sibling,
            NomineeRelationship.Other], read);
    }

    private async Task DeactivateAsync(AbhaNumber number)
    {
        var txnId = (await lifecycle.RequestConfirmationOtpAsync(number, OtpPurpose.AccountDeactivation, null, None)).TxnId;
        await lifecycle.DeactivateAsync(number, txnId, rig.LastOtp, None);
    }
}

/// <summary>Nominations as their JSON (so the stored shape round-trips as the Cosmos adapter's plaintext would).</summary>
internal sealed class InMemoryNominations : INominationStore
{
    private readonly Dictionary<string, (string Json, string ETag)> documents = new();
    private int version;

    public Nomination? Stored(AbhaNumber patient) =>
        documents.TryGetValue(patient.Digits, out var d) ? JsonSerializer.Deserialize<Nomination>(d.Json, NdhmJson.Options) : null;

    public Task<Versioned<Nomination>?> FindAsync(AbhaNumber patient, CancellationToken ct) =>
        Task.FromResult(documents.TryGetValue(patient.Digits, out var d)
            ? new Versioned<Nomination>(JsonSerializer.Deserialize<Nomination>(d.Json, NdhmJson.Options)!, d.ETag)
            : null);

    public Task<string> CreateAsync(Nomination nomination, CancellationToken ct) => Task.FromResult(Save(nomination, null, create: true));

    public Task<string> ReplaceAsync(Nomination nomination, string ifMatch, CancellationToken ct) => Task.FromResult(Save(nomination, ifMatch, create: false));

    public Task<bool> DeleteAsync(AbhaNumber patient, string? ifMatch, CancellationToken ct) =>
        Task.FromResult(documents.TryGetValue(patient.Digits, out var d) && (ifMatch is null || d.ETag == ifMatch) && documents.Remove(patient.Digits));

    private string Save(Nomination nomination, string? ifMatch, bool create)
    {
        var id = nomination.PatientAbhaNumber.Digits;
        var exists = documents.TryGetValue(id, out var current);
        if ((create && exists) || (!create && (!exists || current.ETag != ifMatch)))
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "Concurrent update");
        var etag = $"\"{++version}\"";
        documents[id] = (JsonSerializer.Serialize(nomination, NdhmJson.Options), etag);
        return etag;
    }
}
