using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// Offline demographic enrolment for government programmes (M1 CRT_ABHA_301-309, assigned in the order of ABDM's flow):
/// batches collected at an outreach camp, uploaded by a health worker of a verified facility.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdDemographicEnrolmentTests(SharedHealthIdHostFixture sandbox)
{
    private const string Path = "v3/assisted/enrollment/demographic/batches";

    private HttpClient Client => sandbox.Client;

    private static string Tag() => new(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    private static string BatchId() => "camp-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A camp record; names are letters only and unique per call (a tag), so runs never collide.</summary>
    private static Dictionary<string, object?> Record(string recordId, string? lastName = null, string? dob = "1988-07-15",
        int? yearOfBirth = null, string gender = "F", string pinCode = "845401") => new()
    {
        ["recordId"] = recordId,
        ["firstName"] = "Sita",
        ["lastName"] = lastName ?? "Devi" + Tag(),
        ["dob"] = dob,
        ["yearOfBirth"] = yearOfBirth,
        ["gender"] = gender,
        ["address"] = "Ward 4, Village Rampur",
        ["district"] = "Purnia",
        ["state"] = "Bihar",
        ["pinCode"] = pinCode,
        ["consent"] = new { code = "abha-enrollment", version = "1.4", language = "hi" },
        ["attestation"] = new { attested = true, method = "KNOWN_TO_WORKER", collectedAt = DateTimeOffset.UtcNow.AddDays(-2) },
    };

    private static object Batch(string batchId, params object[] records) => new { batchId, programme = "NHM-OUTREACH", records };

    private Task<HttpResponseMessage> UploadAsync(string worker, object batch) => PostAsync(Client, Path, batch, worker);

    private static JsonElement Result(JsonElement batch, string recordId) =>
        batch.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("recordId").GetString() == recordId);

    private static string Digits(string number) => number.Replace("-", "", StringComparison.Ordinal);

    [Fact]
    [Trait("M1", "CRT_ABHA_301")]
    [Trait("M1", "CRT_ABHA_302")]
    public async Task GivenACampBatch_WhenAWorkerOfAVerifiedFacilityUploadsIt_ThenEachPersonGetsAnAbha_EncryptedAndAudited()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var withDate = Record("r-1");
        var yearOnly = Record("r-2", dob: null, yearOfBirth: 1961, gender: "M");

        var json = await OkJsonAsync(await UploadAsync(worker, Batch(BatchId(), withDate, yearOnly)));

        Assert.Equal(2, json.GetProperty("accepted").GetInt32());
        Assert.Equal(0, json.GetProperty("rejected").GetInt32());
        Assert.False(json.GetProperty("replayed").GetBoolean());
        foreach (var (id, record) in new[] { ("r-1", withDate), ("r-2", yearOnly) })
        {
            var result = Result(json, id);
            Assert.Equal("ACCEPTED", result.GetProperty("status").GetString());
            var number = result.GetProperty("abhaNumber").GetString()!;
            var stored = await HealthIdCosmos.ReadAccountAsync(number);
            var raw = stored.GetRawText();
            Assert.DoesNotContain((string)record["lastName"]!, raw);
            Assert.DoesNotContain("Rampur", raw);
            Assert.StartsWith("enc:v1:", stored.GetProperty("name").GetString());
            Assert.Equal("UNVERIFIED", stored.GetProperty("kycStatus").GetString());
            Assert.Equal("NHM-OUTREACH", stored.GetProperty("demographic").GetProperty("programme").GetString());
            Assert.Equal("KNOWN_TO_WORKER", stored.GetProperty("demographic").GetProperty("method").GetString());
            Assert.StartsWith("worker-", stored.GetProperty("assistedBy").GetProperty("workerId").GetString());
            Assert.Matches("^[0-9a-f]{64}$", stored.GetProperty("demographicHash").GetString());
            Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(Digits(number), "abha.enrol.demographic"));
        }
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_303")]
    public async Task GivenAPersonWhoAlreadyHasAnAadhaarAbha_WhenTheCampEnrolsThemByDemographics_ThenDuplicate_WithoutTheirNumber()
    {
        // The sandbox identities are Test Person<tag>, F, born 1992, PIN 411001 (HealthIdHostFixture).
        var identity = sandbox.NextIdentity();
        var existing = Number(await EnrolAsync(Client, identity));
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var same = Record("r-1", lastName: identity.LastName.ToUpperInvariant(), dob: null, yearOfBirth: 1992, pinCode: "411001");
        same["firstName"] = " test ";

        var json = await OkJsonAsync(await UploadAsync(worker, Batch(BatchId(), same)));

        var result = Result(json, "r-1");
        Assert.Equal("REJECTED", result.GetProperty("status").GetString());
        Assert.Equal("DUPLICATE_ACCOUNT", result.GetProperty("reasonCode").GetString());
        Assert.False(result.TryGetProperty("abhaNumber", out _));
        Assert.DoesNotContain(Digits(existing), json.GetRawText());
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(Digits(existing), "abha.enrol.demographic"));
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_303")]
    [Trait("M1", "CRT_ABHA_304")]
    public async Task GivenAnExistingAbha_WhenACampWritesThePersonDifferently_ThenDuplicate_AndAnInitialOnlyIsAPossibleDuplicate_NotEnrolled()
    {
        // The sandbox identities are Test Person<tag>, F, born 1992-03-04, PIN 411001 (HealthIdHostFixture).
        var identity = sandbox.NextIdentity();
        var existing = Digits(Number(await EnrolAsync(Client, identity)));
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var honorificAndYear = Record("same", lastName: identity.LastName.ToLowerInvariant() + ".", dob: null, yearOfBirth: 1992, pinCode: "411001");
        honorificAndYear["firstName"] = "Kumari  TEST";
        var someoneElse = Record("other", lastName: identity.LastName, dob: "1992-03-04", pinCode: "411001");
        someoneElse["firstName"] = "Asha";
        var initialOnly = Record("initial", lastName: identity.LastName, dob: "1992-03-04", pinCode: "411001");
        initialOnly["firstName"] = "T.";

        var first = await OkJsonAsync(await UploadAsync(worker, Batch(BatchId(), honorificAndYear, someoneElse)));
        var second = await OkJsonAsync(await UploadAsync(worker, Batch(BatchId(), initialOnly)));

        Assert.Equal("DUPLICATE_ACCOUNT", Result(first, "same").GetProperty("reasonCode").GetString());
        Assert.Equal("ACCEPTED", Result(first, "other").GetProperty("status").GetString());
        Assert.Equal("REJECTED", Result(second, "initial").GetProperty("status").GetString());
        Assert.Equal("POSSIBLE_DUPLICATE", Result(second, "initial").GetProperty("reasonCode").GetString());
        Assert.False(Result(second, "initial").TryGetProperty("abhaNumber", out _));
        Assert.DoesNotContain(existing, first.GetRawText() + second.GetRawText());
        Assert.Equal(2, await HealthIdCosmos.CountAuditAsync(existing, "abha.enrol.demographic"));
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_304")]
    public async Task GivenTheSamePersonTwiceInABatch_AndAgainInALaterBatch_ThenOneAbha()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var first = Record("a");
        var again = Record("b", lastName: (string)first["lastName"]!);
        again["middleName"] = "Kumari";

        var json = await OkJsonAsync(await UploadAsync(worker, Batch(BatchId(), first, again)));
        var later = await OkJsonAsync(await UploadAsync(await HealthIdWorkers.OfVerifiedFacilityAsync(Client),
            Batch(BatchId(), Record("z", lastName: (string)first["lastName"]!))));

        Assert.Equal("ACCEPTED", Result(json, "a").GetProperty("status").GetString());
        Assert.Equal("DUPLICATE_IN_BATCH", Result(json, "b").GetProperty("reasonCode").GetString());
        Assert.Equal("DUPLICATE_ACCOUNT", Result(later, "z").GetProperty("reasonCode").GetString());
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_305")]
    public async Task GivenInvalidRecords_WhenUploaded_ThenEachIsReturnedWithItsReason_AndTheValidOneIsAccepted()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var badName = Record("name"); badName["firstName"] = "S1ta";
        var badDob = Record("dob", dob: "2999-01-01");
        var badGender = Record("gender", gender: "X");
        var badPin = Record("pin", pinCode: "0123");
        var noAttestation = Record("attest"); noAttestation["attestation"] = new { attested = false, method = "KNOWN_TO_WORKER", collectedAt = DateTimeOffset.UtcNow };
        var badMethod = Record("method"); badMethod["attestation"] = new { attested = true, method = "PHONE_CALL", collectedAt = DateTimeOffset.UtcNow };
        var noConsent = Record("consent"); noConsent["consent"] = null;

        var json = await OkJsonAsync(await UploadAsync(worker,
            Batch(BatchId(), badName, badDob, badGender, badPin, noAttestation, badMethod, noConsent, Record("ok"))));

        Assert.Equal(1, json.GetProperty("accepted").GetInt32());
        Assert.Equal(7, json.GetProperty("rejected").GetInt32());
        Assert.Equal("NAME_INVALID", Result(json, "name").GetProperty("reasonCode").GetString());
        Assert.Equal("DOB_INVALID", Result(json, "dob").GetProperty("reasonCode").GetString());
        Assert.Equal("GENDER_INVALID", Result(json, "gender").GetProperty("reasonCode").GetString());
        Assert.Equal("PINCODE_INVALID", Result(json, "pin").GetProperty("reasonCode").GetString());
        Assert.Equal("ATTESTATION_MISSING", Result(json, "attest").GetProperty("reasonCode").GetString());
        Assert.Equal("ATTESTATION_INVALID", Result(json, "method").GetProperty("reasonCode").GetString());
        Assert.Equal("CONSENT_REQUIRED", Result(json, "consent").GetProperty("reasonCode").GetString());
        Assert.Equal("ACCEPTED", Result(json, "ok").GetProperty("status").GetString());
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_306")]
    public async Task GivenAnUploadedBatch_WhenUploadedAgain_ThenTheSameResult_AndNoNewAccountOrAuditEntry()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var batch = Batch(BatchId(), Record("r-1"), Record("r-2", gender: "O"));

        var first = await OkJsonAsync(await UploadAsync(worker, batch));
        var second = await OkJsonAsync(await UploadAsync(worker, batch));

        Assert.True(second.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("results").GetRawText(), second.GetProperty("results").GetRawText());
        foreach (var id in new[] { "r-1", "r-2" })
        {
            var number = Result(first, id).GetProperty("abhaNumber").GetString()!;
            Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(Digits(number), "abha.enrol.demographic"));
        }
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_307")]
    public async Task GivenAUsedBatchId_WhenOtherRecordsAreUploadedUnderIt_ThenConflict_AndNothingCreated()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var batchId = BatchId();
        await OkJsonAsync(await UploadAsync(worker, Batch(batchId, Record("r-1"))));
        var other = Record("r-1");

        using var response = await UploadAsync(worker, Batch(batchId, other));
        var fresh = await OkJsonAsync(await UploadAsync(worker, Batch(BatchId(), other)));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "BATCH_ID_REUSED");
        Assert.Equal("ACCEPTED", Result(fresh, "r-1").GetProperty("status").GetString());
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_308")]
    public async Task GivenAWorkerWithoutAVerifiedFacility_OrAPatient_WhenUploading_ThenForbidden()
    {
        var unaffiliated = await HealthIdWorkers.TokenAsync(Client, facilityId: null);
        var patient = Token(await EnrolAsync(Client, sandbox.NextIdentity()));

        using var worker = await UploadAsync(unaffiliated, Batch(BatchId(), Record("r-1")));
        using var notWorker = await UploadAsync(patient, Batch(BatchId(), Record("r-1")));

        await Problems.AssertProblemAsync(worker, HttpStatusCode.Forbidden, "FACILITY_NOT_VERIFIED");
        Assert.Equal(HttpStatusCode.Forbidden, notWorker.StatusCode);
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_309")]
    public async Task GivenAMalformedBatch_WhenUploaded_ThenProblemWithItsCode()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);

        using var empty = await UploadAsync(worker, Batch(BatchId()));
        using var tooLarge = await UploadAsync(worker, Batch(BatchId(), Enumerable.Range(0, 101).Select(i => (object)Record("r" + i)).ToArray()));
        using var twice = await UploadAsync(worker, Batch(BatchId(), Record("r-1"), Record("r-1")));
        using var badId = await UploadAsync(worker, Batch("camp/1", Record("r-1")));
        using var badProgramme = await UploadAsync(worker, new { batchId = BatchId(), programme = "nhm outreach", records = new[] { Record("r-1") } });

        await Problems.AssertProblemAsync(empty, HttpStatusCode.BadRequest, "BATCH_EMPTY");
        await Problems.AssertProblemAsync(tooLarge, HttpStatusCode.BadRequest, "BATCH_TOO_LARGE");
        await Problems.AssertProblemAsync(twice, HttpStatusCode.BadRequest, "RECORD_ID_DUPLICATE");
        await Problems.AssertProblemAsync(badId, HttpStatusCode.BadRequest, "BATCH_ID_INVALID");
        await Problems.AssertProblemAsync(badProgramme, HttpStatusCode.BadRequest, "PROGRAMME_INVALID");
    }
}
