using Ndhm.Core.Errors;
using Ndhm.Telemedicine;

namespace Ndhm.UnitTests.Telemedicine;

public sealed class ConsultationSignallingTests
{
    private const string Offer = """{"type":"offer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}""";

    private static async Task<(TelemedicineRig Rig, Appointment Booked, string Doctor, string Patient)> OpenCallAsync()
    {
        var rig = new TelemedicineRig();
        var slot = (await rig.PublishAsync(1))[0];
        var booked = await rig.BookAsync(slot.Id);
        rig.Time.SetUtcNow(booked.Start.AddMinutes(-2));
        var doctor = (await rig.Consultations.JoinTokenAsync(Participant.Doctor(TelemedicineRig.Doctor), booked.Id, default)).Token;
        var patient = (await rig.Consultations.JoinTokenAsync(Participant.Patient(TelemedicineRig.Patient), booked.Id, default)).Token;
        return (rig, booked, doctor, patient);
    }

    [Fact]
    public async Task GivenBothJoinTokens_WhenThePatientOffersAndTheDoctorAnswers_ThenEachReadsOnlyTheOthersSignalsInOrder()
    {
        var (rig, booked, doctor, patient) = await OpenCallAsync();
        var signalling = rig.Signalling;

        var offer = await signalling.PostAsync(booked.Id, patient, new SignalInput("offer", Offer), default);
        await signalling.PostAsync(booked.Id, patient, new SignalInput("candidate", """{"candidate":"candidate:1 1 udp 1 127.0.0.1 5000 typ host"}"""), default);
        var doctorReads = await signalling.ReadAsync(booked.Id, doctor, 0, default);
        await signalling.PostAsync(booked.Id, doctor, new SignalInput("answer", """{"type":"answer","sdp":"v=0"}"""), default);
        var patientReads = await signalling.ReadAsync(booked.Id, patient, 0, default);
        var doctorAgain = await signalling.ReadAsync(booked.Id, doctor, doctorReads.Cursor, default);

        Assert.Equal(("PATIENT", 1L), (offer.From, offer.Sequence));
        Assert.Equal(["offer", "candidate"], doctorReads.Signals.Select(s => s.Type));
        Assert.Equal(Offer, doctorReads.Signals[0].Payload);
        Assert.Equal(2, doctorReads.Cursor);
        Assert.Equal(["answer"], patientReads.Signals.Select(s => s.Type)); // never her own offer or candidate
        Assert.Equal(3, patientReads.Cursor);
        Assert.Empty(doctorAgain.Signals); // his own answer is past his cursor but not shown to him
        Assert.Equal(3, doctorAgain.Cursor);
    }

    [Fact]
    public async Task GivenNoToken_AnotherConsultationsToken_OrAPlatformToken_WhenPostingOrReading_ThenUnauthenticatedAndNothingStored()
    {
        var (rig, booked, _, _) = await OpenCallAsync();
        var otherSlot = (await rig.PublishAsync(1, from: booked.Start.AddHours(2)))[0];
        var other = await rig.BookAsync(otherSlot.Id, TelemedicineRig.OtherPatient);
        var otherToken = RecordingJoinTokens.Token(other.Id, "PATIENT", TelemedicineRig.OtherPatient);

        foreach (var token in new string?[] { null, "", otherToken, "eyJhbGciOiJFUzI1NiJ9.platform.token" })
        {
            var post = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, token, new SignalInput("offer", Offer), default));
            var read = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.ReadAsync(booked.Id, token, 0, default));
            Assert.Equal((ErrorKind.Unauthenticated, ErrorKind.Unauthenticated), (post.Kind, read.Kind));
        }

        Assert.Empty(await rig.Signals.ListAfterAsync(booked.Id, 0, 100, default));
    }

    [Fact]
    public async Task GivenAJoinTokenNamingSomeoneNotInTheAppointment_WhenPosting_ThenNotFoundAsForAnyoneElse()
    {
        var (rig, booked, _, _) = await OpenCallAsync();
        var stranger = RecordingJoinTokens.Token(booked.Id, "PATIENT", TelemedicineRig.OtherPatient);
        var otherDoctor = RecordingJoinTokens.Token(booked.Id, "DOCTOR", TelemedicineRig.OtherDoctor);

        var byStranger = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, stranger, new SignalInput("offer", Offer), default));
        var byOtherDoctor = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.ReadAsync(booked.Id, otherDoctor, 0, default));

        Assert.Equal(TelemedicineErrors.AppointmentNotFound, byStranger.Code);
        Assert.Equal(TelemedicineErrors.AppointmentNotFound, byOtherDoctor.Code);
        Assert.Empty(await rig.Signals.ListAfterAsync(booked.Id, 0, 100, default));
    }

    [Theory]
    [InlineData(null, Offer, "type")]
    [InlineData("hello", Offer, "type")]
    [InlineData("OFFER", Offer, "type")]
    [InlineData("offer", null, "payload")]
    [InlineData("candidate", "", "payload")]
    public async Task GivenABadSignal_WhenPosting_ThenInvalidSignalNamingTheField(string? type, string? payload, string field)
    {
        var (rig, booked, _, patient) = await OpenCallAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, patient, new SignalInput(type, payload), default));

        Assert.Equal((ConsultationSignalling.InvalidSignal, field), (error.Code, error.Extensions!["field"]));
    }

    [Fact]
    public async Task GivenAPayloadOverTheByteLimit_WhenPosting_ThenRefusedWhileOneAtTheLimitIsRelayed()
    {
        var (rig, booked, _, patient) = await OpenCallAsync();
        rig.Options.SignalMaxBytes = 100;
        var atLimit = new string('a', 98) + "é"; // 100 bytes in UTF-8, 99 characters
        var over = new string('a', 99) + "é";   // 101 bytes, 100 characters

        var relayed = await rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("candidate", atLimit), default);
        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("candidate", over), default));

        Assert.Equal(1, relayed.Sequence);
        Assert.Equal((ConsultationSignalling.InvalidSignal, "payload"), (error.Code, error.Extensions!["field"]));
    }

    [Fact]
    public async Task GivenAConsultationAtItsSignalLimit_WhenEitherPostsAnother_ThenConflictAndTheCountStays()
    {
        var (rig, booked, doctor, patient) = await OpenCallAsync();
        rig.Options.MaxSignalsPerConsultation = 3;
        await rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("offer", Offer), default);
        await rig.Signalling.PostAsync(booked.Id, doctor, new SignalInput("answer", Offer), default);
        await rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("bye", null), default);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, doctor, new SignalInput("bye", null), default));

        Assert.Equal((ErrorKind.Conflict, ConsultationSignalling.SignalLimitReached), (error.Kind, error.Code));
        Assert.Equal(3, (await rig.Signals.ListAfterAsync(booked.Id, 0, 100, default)).Count);
    }

    [Fact]
    public async Task GivenAnEndedConsultation_WhenReadingOrPosting_ThenRefusedAsNotOpen()
    {
        var (rig, booked, doctor, patient) = await OpenCallAsync();
        await rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("offer", Offer), default);
        await rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default);
        await rig.Consultations.EndAsync(TelemedicineRig.Doctor, booked.Id, new EndInput(), default);

        var read = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.ReadAsync(booked.Id, doctor, 0, default));
        var post = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("bye", null), default));

        Assert.Equal(TelemedicineErrors.InvalidTransition, read.Code);
        Assert.Equal(TelemedicineErrors.InvalidTransition, post.Code);
    }

    [Fact]
    public async Task GivenAConfirmedConsultationAnHourAway_WhenSignalling_ThenRefusedUntilItsJoinWindow()
    {
        var rig = new TelemedicineRig();
        var booked = await rig.BookAsync((await rig.PublishAsync(1))[0].Id);
        rig.Time.SetUtcNow(booked.Start.AddHours(-1));
        var patient = RecordingJoinTokens.Token(booked.Id, "PATIENT", TelemedicineRig.Patient); // as if kept from an earlier window

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("offer", Offer), default));

        Assert.Equal(TelemedicineErrors.InvalidTransition, error.Code);
    }

    [Fact]
    public async Task GivenACallThatRunsOverItsSlot_WhenSignalsOutliveTheirGrace_ThenTheyAreNoLongerRelayedButNewOnesAre()
    {
        var (rig, booked, doctor, patient) = await OpenCallAsync();
        await rig.Consultations.StartAsync(TelemedicineRig.Doctor, booked.Id, default);
        var early = await rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("offer", Offer), default);
        rig.Time.SetUtcNow(booked.End.AddMinutes(rig.Options.SignalGraceMinutes + 1));
        var late = await rig.Signalling.PostAsync(booked.Id, patient, new SignalInput("offer", Offer), default);

        var read = await rig.Signalling.ReadAsync(booked.Id, doctor, 0, default);

        Assert.Equal(booked.End.AddMinutes(rig.Options.SignalGraceMinutes), early.ExpiresAt);
        Assert.Equal([late.Sequence], read.Signals.Select(s => s.Sequence));
        Assert.Equal(late.At.AddMinutes(rig.Options.SignalGraceMinutes), late.ExpiresAt);
    }

    [Fact]
    public async Task GivenANegativeCursor_WhenReading_ThenInvalidSignalNamingAfter()
    {
        var (rig, booked, doctor, _) = await OpenCallAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Signalling.ReadAsync(booked.Id, doctor, -1, default));

        Assert.Equal((ConsultationSignalling.InvalidSignal, "after"), (error.Code, error.Extensions!["field"]));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("[]", 0)]
    [InlineData("""[{"urls":["stun:stun.example.org:3478"]},{"urls":["turn:turn.example.org:3478"],"username":"u","credential":"c"}]""", 2)]
    public void GivenIceServerSettings_WhenParsed_ThenTheServersAsWebRtcTakesThem(string? json, int count)
    {
        Assert.Equal(count, IceServers.Parse(json).Count);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""[{"urls":["https://example.org"]}]""")]
    [InlineData("""[{"urls":[]}]""")]
    public void GivenABadIceServerSetting_WhenParsed_ThenItFailsLoudly(string json)
    {
        Assert.Throws<InvalidOperationException>(() => IceServers.Parse(json));
    }
}
