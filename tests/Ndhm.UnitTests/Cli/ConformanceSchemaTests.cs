using System.Text.Json;
using Ndhm.Cli.Conformance;

namespace Ndhm.UnitTests.Cli;

/// <summary>The conformance kit's ABDM schema checks of a HIP's messages (ndhm-hip.yml definitions, one per path).</summary>
public sealed class ConformanceSchemaTests
{
    private const string AddContexts = """
        {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
         "link":{"accessToken":"eyJ.a.b","patient":{"referenceNumber":"HOSP-MRN-1001","display":"Asha Verma",
           "careContexts":[{"referenceNumber":"OP-HIL-1","display":"OPD visit","hiTypes":["OPConsultation"]}]}}}
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void GivenTheAddContextsTheSampleHospitalSends_WhenChecked_ThenItConforms()
    {
        var problems = AbdmMessageSchemas.Problems("/v0.5/links/link/add-contexts", Json(AddContexts));

        Assert.Empty(problems);
    }

    [Fact]
    public void GivenAddContextsWithoutACareContextsDisplay_WhenChecked_ThenTheProblemNamesTheCareContextAndTheMissingProperty()
    {
        var broken = AddContexts.Replace("\"display\":\"OPD visit\",", "", StringComparison.Ordinal);

        var problems = AbdmMessageSchemas.Problems("/v0.5/links/link/add-contexts", Json(broken));

        var problem = Assert.Single(problems);
        Assert.StartsWith("/link/patient/careContexts/0: ", problem, StringComparison.Ordinal);
        Assert.Contains("display", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAUsersAuthNotifyWithAStatusAbdmDoesNotKnow_WhenChecked_ThenTheViolationNamesTheDefinitionAndTheField()
    {
        var notify = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
             "auth":{"transactionId":"t-1","status":"APPROVED","accessToken":"eyJ.a.b"}}
            """);

        var violation = AbdmMessageSchemas.Violation("the platform's", "/v0.5/users/auth/notify", notify);

        Assert.NotNull(violation);
        Assert.Contains("PatientAuthNotification (ndhm-hip.yml)", violation, StringComparison.Ordinal);
        Assert.Contains("/auth/status", violation, StringComparison.Ordinal);
        Assert.Contains("transactionId", violation, StringComparison.Ordinal); // the root's required transactionId is missing too
    }

    [Fact]
    public void GivenAGrantedUsersAuthNotify_WhenChecked_ThenNoViolation()
    {
        var notify = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z","transactionId":"t-1",
             "auth":{"transactionId":"t-1","status":"GRANTED","accessToken":"eyJ.a.b"}}
            """);

        Assert.Null(AbdmMessageSchemas.Violation("the platform's", "/v0.5/users/auth/notify", notify));
    }

    [Fact]
    public void GivenTheConfirmTheSampleHospitalSendsWithThePatientsOtp_WhenChecked_ThenItConforms()
    {
        var confirm = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
             "transactionId":"t-1","credential":{"authCode":"519316"}}
            """);

        Assert.Null(AbdmMessageSchemas.Violation("the HIP's", "/v0.5/users/auth/confirm", confirm));
    }

    [Fact]
    public void GivenAConfirmWithoutItsTransaction_WhenChecked_ThenTheViolationNamesTheConfirmDefinitionAndTheMissingProperty()
    {
        var confirm = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z","credential":{"authCode":"519316"}}
            """);

        var violation = AbdmMessageSchemas.Violation("the HIP's", "/v0.5/users/auth/confirm", confirm);

        Assert.NotNull(violation);
        Assert.Contains("PatientAuthConfirmRequest (ndhm-hip.yml)", violation, StringComparison.Ordinal);
        Assert.Contains("transactionId", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnOnConfirmWithADemographicMissingItsYearOfBirth_WhenChecked_ThenTheProblemNamesThePatient()
    {
        var onConfirm = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
             "auth":{"accessToken":"eyJ.a.b","patient":{"id":"asha@sbx","name":"Asha Verma","gender":"F"}},
             "resp":{"requestId":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}
            """);

        var problem = Assert.Single(AbdmMessageSchemas.Problems("/v0.5/users/auth/on-confirm", onConfirm));

        Assert.StartsWith("/auth/patient: ", problem, StringComparison.Ordinal);
        Assert.Contains("yearOfBirth", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheDemographicConfirmTheSampleHospitalSends_WhenChecked_ThenItConforms()
    {
        var confirm = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
             "transactionId":"518c1790-67ea-4a28-92dd-cf9e4eee92d2",
             "credential":{"demographic":{"name":"Asha Verma","gender":"F","dateOfBirth":"1990-03-07"}}}
            """);

        var problems = AbdmMessageSchemas.Problems("/v0.5/users/auth/confirm", confirm);

        Assert.Empty(problems);
    }

    [Fact]
    public void GivenTheOnConfirmRefusingDemographicsThatDoNotMatch_WhenChecked_ThenOnlyItsStringCodeBreaksAbdmsV05Error_WhichTheKitExcuses()
    {
        var refusal = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
             "error":{"code":"ABDM-1045","message":"Demographic details do not match","ndhmCode":"DEMOGRAPHICS_MISMATCH"},
             "resp":{"requestId":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}
            """);

        var problems = AbdmMessageSchemas.Problems("/v0.5/users/auth/on-confirm", refusal);
        var excused = AbdmMessageSchemas.Violation("the platform's", "/v0.5/users/auth/on-confirm", refusal, excusedAt: "/error/code");

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.StartsWith("/error/code: ", p, StringComparison.Ordinal));
        Assert.Null(excused);
    }

    [Fact]
    public void GivenAnOnConfirmWithoutResp_WhenCheckedExcusingTheErrorsCode_ThenTheMissingRespStillBreaksIt()
    {
        var refusal = Json("""
            {"requestId":"5f7a535d-a3fd-416b-b069-c97d021fbacd","timestamp":"2026-12-04T10:00:00.000Z",
             "error":{"code":"ABDM-1045","message":"Demographic details do not match"}}
            """);

        var violation = AbdmMessageSchemas.Violation("the platform's", "/v0.5/users/auth/on-confirm", refusal, excusedAt: "/error/code");

        Assert.NotNull(violation);
        Assert.Contains("resp", violation, StringComparison.Ordinal);
        Assert.DoesNotContain("/error/code", violation, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void GivenAnEmptyBody_WhenCheckedAtAnyKnownPath_ThenItsDefinitionBuildsAndRequiresARequestId(string path)
    {
        var problems = AbdmMessageSchemas.Problems(path, Json("{}"));

        Assert.Contains(problems, p => p.StartsWith("/: ", StringComparison.Ordinal) && p.Contains("requestId", StringComparison.Ordinal));
    }

    public static TheoryData<string> Paths() => new(AbdmMessageSchemas.Definitions.Keys);

    [Fact]
    public void GivenAPathWithoutAnAbdmSchema_WhenChecked_ThenItIsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => AbdmMessageSchemas.Problems("/v0.5/unknown", Json("{}")));
    }
}
