using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.UnitTests.HealthId;

public sealed class HealthIdAuditTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly HealthIdRig rig = new(Clock.New(), OtpPolicy.Default with { MaxRequestsPerMobile = 100 });

    private async Task<AbhaNumber> EnrolAsync()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None);
        var number = (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None)).Account.AbhaNumber;
        rig.Audit.Events.Clear(); // the enrolment's own entry (EnrolmentAuditTests); these tests look at what follows
        return number;
    }

    [Fact]
    public async Task GivenAConfirmedDeactivation_WhenItIsStored_ThenThePatientsChainRecordsItWithThePatientAsActor()
    {
        var number = await EnrolAsync();
        var txnId = (await rig.Lifecycle.RequestConfirmationOtpAsync(number, OtpPurpose.AccountDeactivation, null, None)).TxnId;

        await rig.Lifecycle.DeactivateAsync(number, txnId, rig.LastOtp, None);

        var recorded = Assert.Single(rig.Audit.Events);
        Assert.Equal(("patient:" + number.Digits, AbhaAccountService.DeactivateAction, number.Digits),
            (recorded.Chain, recorded.Action, recorded.Actor.Subject));
        Assert.Equal([Roles.Patient], recorded.Actor.Roles);
    }

    [Fact]
    public async Task GivenTheAuditTrailUnavailable_WhenTheProfileIsUpdated_ThenTheUpdateFailsAndNothingIsStored()
    {
        var number = await EnrolAsync();
        var before = rig.Accounts.Documents.Find(number.Digits)!.Value.Name!.FullName;
        rig.Audit.Unavailable = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Lifecycle.UpdateProfileAsync(number,
            new AbhaProfileUpdate { Name = PersonName.Create("Someone", null, "Else") }, None));

        Assert.Equal(before, rig.Accounts.Documents.Find(number.Digits)!.Value.Name!.FullName);
        Assert.Empty(rig.Audit.Events);
    }

    [Theory]
    [InlineData("91-3986-9133-2447", "patient:91398691332447")]
    [InlineData("nobody@sbx", "partner:hip-7")]
    [InlineData("invalid", "partner:hip-7")]
    public async Task GivenAPartnersLookup_WhenRecorded_ThenAFoundAbhaGoesToThePatientsChain_AndAMissToThePartnersChain(string subject, string chain)
    {
        var trail = new RecordingAuditTrail();
        var audit = new HealthIdAudit(trail, new NoCurrentActor());

        await audit.RecordAsync(AbhaVerification.Action, "hip-7", [Roles.Hip], subject, "ACTIVE", "req-1", None);

        var recorded = Assert.Single(trail.Events);
        Assert.Equal((chain, "hip-7", "req-1"), (recorded.Chain, recorded.Actor.Subject, recorded.Actor.RequestId));
    }
}
