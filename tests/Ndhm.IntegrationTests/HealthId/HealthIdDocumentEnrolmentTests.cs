using System.Net;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// Enrolment by driving licence (<c>enrol/byDocument</c>) against the sandbox registry (serial starting 1: verified,
/// 8: mismatch, else undecidable), and the verifiers' review queue.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdDocumentEnrolmentTests(SharedHealthIdHostFixture sandbox)
{
    private const string Path = "v3/enrollment/enrol/byDocument";
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x42, 0x42, 0xFF, 0xD9];
    // A realistic size (150 KiB): well past the 2,000-character default limit of text fields.
    private static readonly string FrontPhoto = Convert.ToBase64String(Jpeg.Concat(Enumerable.Range(0, 150 * 1024).Select(i => (byte)(i * 7))).ToArray());
    private static readonly string BackPhoto = Convert.ToBase64String(Jpeg.Concat("back-of-licence"u8.ToArray()).ToArray());

    private HttpClient Client => sandbox.Client;

    /// <summary>A driving licence number no other test uses, whose serial starts with <paramref name="first"/>.</summary>
    private static string Licence(char first) =>
        "MH12" + "2015" + first + string.Concat(Enumerable.Range(0, 6).Select(_ => Random.Shared.Next(10)));

    private static object Body(string txnId, string otp, string mobile, string licence, string lastName,
        string documentType = "DRIVING_LICENCE", string? front = null) => new
    {
        authData = OtpAuth(txnId, otp, mobile),
        consent = new { code = "abha-enrollment", version = "1.4", language = "en" },
        documentType,
        documentId = licence,
        firstName = "Sunita",
        lastName,
        dob = "1988-06-15",
        gender = "F",
        frontSidePhoto = front ?? FrontPhoto,
        backSidePhoto = BackPhoto,
        address = "Ward 3, Near School",
        district = "Pune",
        state = "Maharashtra",
        pinCode = "411001",
    };

    private async Task<(string TxnId, string Otp, string Mobile)> MobileOtpAsync()
    {
        var mobile = HealthIdHostFixture.NewMobileOnly().Mobile;
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "mobile", mobile);
        return (txnId, await ReadOtpAsync(Client, mobile, txnId), mobile);
    }

    private async Task<HttpResponseMessage> EnrolAsync(string licence, string lastName = "Patil")
    {
        var (txnId, otp, mobile) = await MobileOtpAsync();
        return await PostAsync(Client, Path, Body(txnId, otp, mobile, licence, lastName));
    }

    private Task<string> VerifierAsync() => HealthIdWorkers.OfVerifiedFacilityAsync(Client);

    private Task<string> WorkerTokenAsync(string? facilityId) => HealthIdWorkers.TokenAsync(Client, facilityId);

    [Fact]
    [Trait("M1", "CRT_ABHA_401")]
    [Trait("M1", "CRT_ABHA_402")]
    [Trait("M1", "CRT_ABHA_403")]
    public async Task GivenALicenceTheRegistryConfirms_WhenEnrolled_ThenTheAbhaIsVerified_AndOnlyTheLicenceHashIsStored()
    {
        var licence = Licence('1');

        var json = await OkJsonAsync(await EnrolAsync(licence));

        var profile = json.GetProperty("ABHAProfile");
        Assert.Equal("VERIFIED", profile.GetProperty("enrolmentState").GetString());
        Assert.Equal("VERIFIED", profile.GetProperty("documentVerification").GetProperty("state").GetString());
        Assert.Equal("DRIVING_LICENCE", profile.GetProperty("documentVerification").GetProperty("documentType").GetString());
        Assert.Equal("Patil", profile.GetProperty("lastName").GetString());
        var stored = (await HealthIdCosmos.ReadAccountAsync(Number(json))).GetRawText();
        Assert.DoesNotContain(licence, stored);
        Assert.DoesNotContain(licence[..2] + " " + licence[2..4], stored);
        Assert.DoesNotContain("Patil", stored);
        Assert.Matches("\"documentHash\":\"[0-9a-f]{64}\"", stored);
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_404")]
    public async Task GivenALicenceAlreadyEnrolled_WhenEnrolledAgain_ThenDocumentAlreadyEnrolled_AndTheOtpIsNotSpent()
    {
        var licence = Licence('1');
        await OkJsonAsync(await EnrolAsync(licence));
        var (txnId, otp, mobile) = await MobileOtpAsync();

        using var again = await PostAsync(Client, Path, Body(txnId, otp, mobile, licence.ToLowerInvariant(), "Patil"));

        await Problems.AssertProblemAsync(again, HttpStatusCode.Conflict, "DOCUMENT_ALREADY_ENROLLED");
        await OkJsonAsync(await PostAsync(Client, Path, Body(txnId, otp, mobile, Licence('1'), "Patil")));
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_405")]
    public async Task GivenDetailsTheRegistryContradicts_WhenEnrolling_ThenDocumentMismatch_AndNothingIsCreated()
    {
        var (txnId, otp, mobile) = await MobileOtpAsync();

        using var refused = await PostAsync(Client, Path, Body(txnId, otp, mobile, Licence('8'), "Patil"));

        await Problems.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "DOCUMENT_MISMATCH");
        await OkJsonAsync(await PostAsync(Client, Path, Body(txnId, otp, mobile, Licence('1'), "Patil")));
    }

    [Theory]
    [InlineData("PAN", "MH1220151234567", null, "DOCUMENT_TYPE_UNSUPPORTED")]
    [InlineData("DRIVING_LICENCE", "MH12-2015-12345", null, "DOCUMENT_ID_INVALID")]
    [InlineData("DRIVING_LICENCE", "MH1220151234567", "bm90IGFuIGltYWdl", "DOCUMENT_PHOTO_INVALID")]
    [InlineData("DRIVING_LICENCE", "MH1220151234567", "not base64!", "DOCUMENT_PHOTO_INVALID")]
    [InlineData("DRIVING_LICENCE", "MH1220151234567", "big", "DOCUMENT_PHOTO_TOO_LARGE")]
    [Trait("M1", "CRT_ABHA_406")]
    public async Task GivenBadDocumentInput_WhenEnrolling_ThenProblemWithItsCode(string type, string licence, string? front, string code)
    {
        var (txnId, otp, mobile) = await MobileOtpAsync();
        var photo = front == "big" ? Convert.ToBase64String(Jpeg.Concat(new byte[210 * 1024]).ToArray()) : front;

        using var response = await PostAsync(Client, Path, Body(txnId, otp, mobile, licence, "Patil", type, photo));

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_407")]
    [Trait("M1", "CRT_ABHA_408")]
    [Trait("M1", "CRT_ABHA_409")]
    public async Task GivenAnUndecidableLicence_WhenAVerifierApprovesIt_ThenTheAbhaIsVerified_AndThePhotosAreGone()
    {
        var lastName = "Shinde" + new string(Enumerable.Range(0, 5).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
        var enrolled = await OkJsonAsync(await EnrolAsync(Licence('9'), lastName));
        var number = Number(enrolled);
        Assert.Equal("PROVISIONAL", enrolled.GetProperty("ABHAProfile").GetProperty("enrolmentState").GetString());
        var raw = await HealthIdCosmos.ReadDocumentReviewTextAsync(number);
        Assert.DoesNotContain(FrontPhoto, raw);
        Assert.DoesNotContain(lastName, raw);
        Assert.Contains("enc:v1:", raw);
        var verifier = await VerifierAsync();

        var queue = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/enrollment/document-reviews?max=50", verifier));
        var review = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/enrollment/document-reviews/{number}", verifier));
        var decided = await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, $"v3/enrollment/document-reviews/{number}/decision", verifier,
            new { decision = "APPROVE", reason = "Photo matches the person" }));

        Assert.Contains(queue.GetProperty("reviews").EnumerateArray(), r => r.GetProperty("ABHANumber").GetString() == number);
        Assert.Equal(lastName, review.GetProperty("lastName").GetString());
        Assert.Equal(FrontPhoto, review.GetProperty("frontSidePhoto").GetString());
        Assert.Equal("VERIFIED", decided.GetProperty("documentVerification").GetProperty("state").GetString());
        Assert.Equal("VERIFIED", decided.GetProperty("enrolmentState").GetString());
        var after = await HealthIdCosmos.ReadDocumentReviewTextAsync(number);
        Assert.DoesNotContain("Photo\":\"enc:v1:", after);
        Assert.Contains("\"state\":\"VERIFIED\"", after);
        var digits = number.Replace("-", "", StringComparison.Ordinal);
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(digits, "abha.document.review"));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(digits, "abha.document.review.read"));
        using var twice = await SendAsync(Client, HttpMethod.Post, $"v3/enrollment/document-reviews/{number}/decision", verifier,
            new { decision = "REJECT", reason = "changed my mind" });
        await Problems.AssertProblemAsync(twice, HttpStatusCode.Conflict, "DOCUMENT_REVIEW_DECIDED");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_410")]
    public async Task GivenAnUndecidableLicence_WhenAVerifierRejectsIt_ThenTheReasonIsShown_AndTheLicenceMayEnrolAgain()
    {
        var licence = Licence('9');
        var enrolled = await OkJsonAsync(await EnrolAsync(licence));
        var number = Number(enrolled);
        var verifier = await VerifierAsync();

        using var noReason = await SendAsync(Client, HttpMethod.Post, $"v3/enrollment/document-reviews/{number}/decision", verifier,
            new { decision = "REJECT" });
        var rejected = await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, $"v3/enrollment/document-reviews/{number}/decision", verifier,
            new { decision = "REJECT", reason = "Photo does not match the person" }));
        var again = await OkJsonAsync(await EnrolAsync(licence));

        await Problems.AssertProblemAsync(noReason, HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Equal("REJECTED", rejected.GetProperty("documentVerification").GetProperty("state").GetString());
        Assert.Equal("Photo does not match the person", rejected.GetProperty("documentVerification").GetProperty("reason").GetString());
        var stored = (await HealthIdCosmos.ReadAccountAsync(number)).GetRawText();
        Assert.DoesNotContain("does not match the person", stored);
        Assert.DoesNotContain("does not match the person", await HealthIdCosmos.ReadDocumentReviewTextAsync(number));
        Assert.NotEqual(number, Number(again));
        Assert.Equal("PROVISIONAL", again.GetProperty("ABHAProfile").GetProperty("enrolmentState").GetString());
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_411")]
    public async Task GivenAWorkerWithoutAVerifiedFacility_WhenListingOrDeciding_ThenFacilityNotVerified()
    {
        var enrolled = await OkJsonAsync(await EnrolAsync(Licence('9')));
        var noFacility = await WorkerTokenAsync(null);
        var unknownFacility = await WorkerTokenAsync("IN2799999999");

        using var list = await SendAsync(Client, HttpMethod.Get, "v3/enrollment/document-reviews", noFacility);
        using var decide = await SendAsync(Client, HttpMethod.Post, $"v3/enrollment/document-reviews/{Number(enrolled)}/decision",
            unknownFacility, new { decision = "APPROVE" });
        using var patient = await SendAsync(Client, HttpMethod.Get, "v3/enrollment/document-reviews", Token(enrolled));

        await Problems.AssertProblemAsync(list, HttpStatusCode.Forbidden, "FACILITY_NOT_VERIFIED");
        await Problems.AssertProblemAsync(decide, HttpStatusCode.Forbidden, "FACILITY_NOT_VERIFIED");
        Assert.Equal(HttpStatusCode.Forbidden, patient.StatusCode);
        var profile = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", Token(enrolled)));
        Assert.Equal("PENDING", profile.GetProperty("documentVerification").GetProperty("state").GetString());
    }
}
