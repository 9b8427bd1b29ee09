using Ndhm.Core.Errors;
using Ndhm.Linking;

namespace Ndhm.UnitTests.Linking;

public sealed class PatientLinkingTests
{
    private readonly LinkingRig rig = new();

    [Fact]
    public async Task GivenAPatient_WhenDiscoveryStarts_ThenTheHipGetsTheVerifiedIdentifiers_AndItsAnswerIsKept()
    {
        var session = await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default);

        var sent = rig.Bridge.Last<DiscoverMessage>(HipPaths.Discover);
        Assert.Equal((session.TransactionId, session.RequestId, "asha@sbx", "F", 1990), (sent.TransactionId, sent.RequestId, sent.Patient.Id, sent.Patient.Gender, sent.Patient.YearOfBirth));
        Assert.Contains(new AbdmIdentifier("NDHM_HEALTH_NUMBER", "91-1234-5678-9012"), sent.Patient.VerifiedIdentifiers);
        Assert.Contains(new AbdmIdentifier("MOBILE", "9876500161"), sent.Patient.VerifiedIdentifiers);

        await rig.Patients.OnDiscoverAsync("city-hospital", session.TransactionId, session.RequestId, LinkingRig.Found("V1", "V2"), null, default);
        var read = await rig.Patients.GetDiscoveryAsync(LinkingRig.Asha, session.TransactionId, default);
        Assert.Equal(DiscoveryStatus.Found, read.Status);
        Assert.Equal(["V1", "V2"], read.Patient!.CareContexts.Select(c => c.ReferenceNumber));
        Assert.Contains(rig.Audit.Events, e => e.Chain == "patient:" + LinkingRig.Asha && e.Action == "discovery.result");
    }

    [Fact]
    public async Task GivenAnOpenDiscovery_WhenTheSamePatientDiscoversAtTheSameHip_ThenAbdm1103_ButAnotherHipIsFine()
    {
        await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default);

        var error = await LinkingRig.Fails(() => rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default));

        Assert.Equal((ErrorKind.Conflict, LinkingErrors.DiscoveryInProgress, "ABDM-1103"), (error.Kind, error.Code, error.Extensions["abdmCode"]));
        await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "lab-one", default);
        await rig.Patients.StartDiscoveryAsync(LinkingRig.Ravi, "city-hospital", default);
    }

    [Fact]
    public async Task GivenAHipThatDoesNotAnswerWithinTheTimeout_ThenThePatientSeesAbdm1401_TheLateAnswerIsRefused_AndANewDiscoveryMayStart()
    {
        var session = await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default);

        rig.Time.Advance(TimeSpan.FromSeconds(10));

        var read = await rig.Patients.GetDiscoveryAsync(LinkingRig.Asha, session.TransactionId, default);
        Assert.Equal((DiscoveryStatus.TimedOut, "ABDM-1401"), (read.StatusAt(rig.Time.GetUtcNow()), read.ErrorAt(rig.Time.GetUtcNow())!.Code));
        await LinkingRig.Fails(() => rig.Patients.OnDiscoverAsync("city-hospital", session.TransactionId, session.RequestId, LinkingRig.Found("V1"), null, default));
        await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default);
    }

    [Fact]
    public async Task GivenADiscovery_WhenAnotherPartnerAnswersOrAnotherPatientReads_ThenNotFound()
    {
        var session = await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default);

        var answer = await LinkingRig.Fails(() => rig.Patients.OnDiscoverAsync("lab-one", session.TransactionId, null, LinkingRig.Found("V1"), null, default));
        var read = await LinkingRig.Fails(() => rig.Patients.GetDiscoveryAsync(LinkingRig.Ravi, session.TransactionId, default));

        Assert.Equal(LinkingErrors.DiscoveryNotFound, answer.Code);
        Assert.Equal(LinkingErrors.DiscoveryNotFound, read.Code);
        Assert.Equal(DiscoveryStatus.Pending, (await rig.Store.FindDiscoveryAsync(session.TransactionId, default))!.Value.Status);
    }

    [Fact]
    public async Task GivenAHipThatFindsSeveralPatients_WhenItAnswersWithAnError_ThenTheDiscoveryFailsWithThatError()
    {
        var session = await rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "city-hospital", default);

        await rig.Patients.OnDiscoverAsync("city-hospital", session.TransactionId, null, null, new AbdmError("ABDM-1010", "Multiple patients found"), default);

        var read = await rig.Patients.GetDiscoveryAsync(LinkingRig.Asha, session.TransactionId, default);
        Assert.Equal((DiscoveryStatus.Failed, "ABDM-1010"), (read.Status, read.Error!.Code));
        await LinkingRig.Fails(() => rig.Patients.InitLinkAsync(LinkingRig.Asha, session.TransactionId, ["V1"], default));
    }

    [Fact]
    public async Task GivenAnUnknownHip_WhenDiscovering_ThenHipNotFound()
    {
        var error = await LinkingRig.Fails(() => rig.Patients.StartDiscoveryAsync(LinkingRig.Asha, "nowhere", default));

        Assert.Equal((ErrorKind.NotFound, "ABDM-1035"), (error.Kind, error.Extensions["abdmCode"]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public async Task GivenADiscovery_WhenLinkingNoneOrMoreThanTwenty_ThenInvalidCareContexts(int count)
    {
        var references = Enumerable.Range(1, 25).Select(i => "V" + i).ToArray();
        var session = await rig.DiscoveredAsync(references: references);

        var error = await LinkingRig.Fails(() => rig.Patients.InitLinkAsync(LinkingRig.Asha, session.TransactionId, references.Take(count).ToList(), default));

        Assert.Equal(LinkingErrors.InvalidCareContexts, error.Code);
        Assert.DoesNotContain(rig.Bridge.Sent, s => s.Path == HipPaths.LinkInit);
    }

    [Fact]
    public async Task GivenADiscovery_WhenLinkingACareContextItDidNotFind_ThenCareContextsNotDiscovered()
    {
        var session = await rig.DiscoveredAsync(references: ["V1"]);

        var error = await LinkingRig.Fails(() => rig.Patients.InitLinkAsync(LinkingRig.Asha, session.TransactionId, ["V1", "X9"], default));

        Assert.Equal((ErrorKind.Validation, LinkingErrors.CareContextsNotDiscovered), (error.Kind, error.Code));
        Assert.Contains("X9", error.Detail);
    }

    [Fact]
    public async Task GivenTheHipsOtp_WhenThePatientConfirms_ThenTheHipConfirms_AndTheCareContextsAreLinkedToTheAbha()
    {
        var request = await rig.AwaitingOtpAsync("LREF-1", "V1", "V2");
        var init = rig.Bridge.Last<LinkInitMessage>(HipPaths.LinkInit);
        Assert.Equal(("asha@sbx", "MRN-7", 2), (init.Patient.Id, init.Patient.ReferenceNumber, init.Patient.CareContexts.Count));

        var confirming = await rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-1", "654321", default);
        var confirm = rig.Bridge.Last<LinkConfirmMessage>(HipPaths.LinkConfirm);
        Assert.Equal(("LREF-1", "654321", confirming.ConfirmRequestId), (confirm.Confirmation.LinkRefNumber, confirm.Confirmation.Token, confirm.RequestId));

        await rig.Patients.OnConfirmAsync("city-hospital", confirm.RequestId, LinkingRig.Found("V1", "V2"), null, default);

        var links = Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
        Assert.Equal(("city-hospital", "MRN-7", "asha@sbx"), (links.HipId, links.PatientReference, links.AbhaAddress));
        Assert.Equal(["V1", "V2"], links.CareContexts.Select(c => c.ReferenceNumber));
        Assert.Equal(LinkRequestStatus.Linked, (await rig.Patients.GetLinkRequestAsync(LinkingRig.Asha, request.Id, default)).Status);
        var forConsent = await new LinkedCareContextsReader(rig.Store, new LinkingAudit(rig.Audit, new HealthId.NoCurrentActor()))
            .ListAsync(LinkingRig.Asha, "city-hospital", default);
        Assert.Equal(["V1", "V2"], forConsent.Select(c => c.CareContextReference));
    }

    [Fact]
    public async Task GivenLinkedCareContexts_WhenLinkedAgain_ThenAbdm1056()
    {
        var request = await rig.AwaitingOtpAsync("LREF-1", "V1");
        await rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-1", "654321", default);
        await rig.Patients.OnConfirmAsync("city-hospital", rig.Bridge.Last<LinkConfirmMessage>(HipPaths.LinkConfirm).RequestId, LinkingRig.Found("V1"), null, default);
        var again = await rig.DiscoveredAsync(references: ["V1"]);

        var error = await LinkingRig.Fails(() => rig.Patients.InitLinkAsync(LinkingRig.Asha, again.TransactionId, ["V1"], default));

        Assert.Equal((ErrorKind.Conflict, LinkingErrors.AlreadyLinked, "ABDM-1056"), (error.Kind, error.Code, error.Extensions["abdmCode"]));
    }

    [Fact]
    public async Task GivenAnOtpPastItsExpiry_WhenThePatientConfirms_ThenOtpExpired_AndNothingIsSentToTheHip()
    {
        await rig.AwaitingOtpAsync("LREF-1", "V1");
        rig.Time.Advance(TimeSpan.FromMinutes(10));

        var error = await LinkingRig.Fails(() => rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-1", "654321", default));

        Assert.Equal((ErrorKind.Gone, LinkingErrors.OtpExpired), (error.Kind, error.Code));
        Assert.DoesNotContain(rig.Bridge.Sent, s => s.Path == HipPaths.LinkConfirm);
    }

    [Fact]
    public async Task GivenAnUnknownOrSomeoneElsesLinkReference_WhenConfirming_ThenLinkReferenceNotFound()
    {
        await rig.AwaitingOtpAsync("LREF-1", "V1");

        var unknown = await LinkingRig.Fails(() => rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-2", "654321", default));
        var others = await LinkingRig.Fails(() => rig.Patients.ConfirmAsync(LinkingRig.Ravi, "LREF-1", "654321", default));

        Assert.Equal((ErrorKind.NotFound, LinkingErrors.LinkRequestNotFound), (unknown.Kind, unknown.Code));
        Assert.Equal(LinkingErrors.LinkRequestNotFound, others.Code);
    }

    [Fact]
    public async Task GivenTheHipRefusesTheOtp_WhenItAnswersOnConfirmWithAnError_ThenNothingIsLinked_AndThePatientMayRetry()
    {
        await rig.AwaitingOtpAsync("LREF-1", "V1");
        await rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-1", "000000", default);

        await rig.Patients.OnConfirmAsync("city-hospital", rig.Bridge.Last<LinkConfirmMessage>(HipPaths.LinkConfirm).RequestId, null,
            new AbdmError("ABDM-1012", "Invalid OTP"), default);

        Assert.Empty(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
        var retried = await rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-1", "654321", default);
        Assert.Equal(LinkRequestStatus.Confirming, retried.Status);
    }

    [Fact]
    public async Task GivenAHipTheAnswersOfWhichComeFromAnotherPartner_ThenTheyAreRefused()
    {
        var session = await rig.DiscoveredAsync(references: ["V1"]);
        var request = await rig.Patients.InitLinkAsync(LinkingRig.Asha, session.TransactionId, ["V1"], default);

        var error = await LinkingRig.Fails(() => rig.Patients.OnInitAsync("lab-one", request.InitRequestId, "LREF-X", "DIRECT", null, null, null, null, default));

        Assert.Equal(LinkingErrors.LinkRequestNotFound, error.Code);
        Assert.Equal(LinkRequestStatus.Requested, (await rig.Patients.GetLinkRequestAsync(LinkingRig.Asha, request.Id, default)).Status);
    }

    [Fact]
    public async Task GivenAHipForWhichThePlatformSendsTheOtp_WhenTheWrongOtpIsEntered_ThenOtpInvalid_AndTheRightOneConfirms()
    {
        rig.Options = rig.Options with { PlatformOtpHips = new HashSet<string> { "city-hospital" } };
        var session = await rig.DiscoveredAsync(references: ["V1"]);
        var request = await rig.Patients.InitLinkAsync(LinkingRig.Asha, session.TransactionId, ["V1"], default);
        await rig.Patients.OnInitAsync("city-hospital", request.InitRequestId, "LREF-9", "DIRECT", null, null, null, null, default);
        Assert.Single(rig.Otp.Sent);

        var wrong = await LinkingRig.Fails(() => rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-9", "999999", default));
        Assert.Equal(LinkingErrors.OtpInvalid, wrong.Code);
        Assert.DoesNotContain(rig.Bridge.Sent, s => s.Path == HipPaths.LinkConfirm);

        var confirming = await rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-9", FakeLinkOtp.Code, default);
        Assert.Equal((LinkRequestStatus.Confirming, LinkAuthentication.Mediate), (confirming.Status, confirming.Authentication));
    }

    [Fact]
    public async Task GivenALinkedCareContext_WhenThePatientUnlinksIt_ThenItIsGone_AndTheHipIsTold()
    {
        await rig.AwaitingOtpAsync("LREF-1", "V1", "V2");
        await rig.Patients.ConfirmAsync(LinkingRig.Asha, "LREF-1", "654321", default);
        await rig.Patients.OnConfirmAsync("city-hospital", rig.Bridge.Last<LinkConfirmMessage>(HipPaths.LinkConfirm).RequestId, LinkingRig.Found("V1", "V2"), null, default);

        await rig.Patients.UnlinkAsync(LinkingRig.Asha, "city-hospital", "V1", default);

        Assert.Equal(["V2"], Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default)).CareContexts.Select(c => c.ReferenceNumber));
        Assert.Equal(("MRN-7", "V1"), (rig.Bridge.Last<UnlinkedMessage>(HipPaths.Unlinked).PatientReference, rig.Bridge.Last<UnlinkedMessage>(HipPaths.Unlinked).CareContextReference));
        var missing = await LinkingRig.Fails(() => rig.Patients.UnlinkAsync(LinkingRig.Asha, "city-hospital", "V1", default));
        Assert.Equal((ErrorKind.NotFound, LinkingErrors.LinkNotFound), (missing.Kind, missing.Code));
    }
}
