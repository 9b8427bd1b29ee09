using Microsoft.Extensions.Time.Testing;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

public class EnrolmentAuditTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;

    public EnrolmentAuditTests() => rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100 });

    private async Task<EnrolmentResult> EnrolAshaAsync()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None);
        return await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None);
    }

    [Fact]
    public async Task GivenAnEnrolmentAndAnAddress_ThenEachIsOnThePatientsChainWithThePatientAsActor()
    {
        var created = await EnrolAshaAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        var again = await EnrolAshaAsync();
        await rig.Enrolment.CreateAbhaAddressAsync(created.Account.AbhaNumber, "asha.verma", true, None);

        var digits = created.Account.AbhaNumber.Digits;
        Assert.False(again.IsNew);
        Assert.Equal(
            [(AbhaEnrolmentService.EnrolAction, "created"), (AbhaEnrolmentService.EnrolAction, "existing"), (AbhaEnrolmentService.AddressCreateAction, "preferred")],
            rig.Audit.Events.Select(e => (e.Action, e.Outcome)));
        Assert.All(rig.Audit.Events, e => Assert.Equal(("patient:" + digits, digits, digits), (e.Chain, e.Resource.Id, e.Actor.Subject)));
    }

    [Fact]
    public async Task GivenTheAuditTrailIsDown_WhenEnrolling_ThenNoAccountIsCreated_AndARetryFinishesTheEnrolment()
    {
        rig.Audit.Unavailable = true;

        await Assert.ThrowsAsync<InvalidOperationException>(EnrolAshaAsync);
        rig.Audit.Unavailable = false;
        time.Advance(TimeSpan.FromMinutes(1));
        var retried = await EnrolAshaAsync();

        Assert.True(retried.IsNew);
        Assert.Equal(1, rig.Accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenTheAuditTrailIsDown_WhenCreatingAnAddress_ThenTheAccountDoesNotLinkIt_AndARetryDoes()
    {
        var number = (await EnrolAshaAsync()).Account.AbhaNumber;
        rig.Audit.Unavailable = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Enrolment.CreateAbhaAddressAsync(number, "asha.verma", true, None));
        Assert.Empty(rig.Accounts.Documents.Find(number.Digits)!.Value.AbhaAddresses);
        rig.Audit.Unavailable = false;
        var linked = await rig.Enrolment.CreateAbhaAddressAsync(number, "asha.verma", true, None);

        Assert.Equal("asha.verma@sbx", Assert.Single(linked.AbhaAddresses).Address.Value);
    }
}
