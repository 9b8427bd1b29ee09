using Hl7.Fhir.Model;
using Ndhm.Fhir.Validation;
using Xunit.Abstractions;

namespace Ndhm.Fhir.Tests;

[Collection(ValidatorCollection.Name)]
public sealed class OfficialExampleTests(ValidatorFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(TestPaths.Prescription)]
    [InlineData(TestPaths.OPConsult)]
    [InlineData(TestPaths.DiagnosticReportLab)]
    public async System.Threading.Tasks.Task GivenAnOfficialIgExample_WhenValidated_ThenItHasNoErrors(string file)
    {
        var result = await fixture.Validator.ValidateJsonAsync(await File.ReadAllTextAsync(TestPaths.Example(file)));

        output.WriteLine($"{file}: {result.Elapsed.TotalMilliseconds:F0} ms (suite warm-up {fixture.WarmUp.TotalSeconds:F1} s)");
        foreach (var issue in result.Issues)
        {
            output.WriteLine(issue.ToString());
        }

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenManyConcurrentCallers_WhenValidating_ThenEveryCallerGetsTheSameAnswer()
    {
        var json = await File.ReadAllTextAsync(TestPaths.Example(TestPaths.Prescription));
        var broken = FhirJson.ParseBundle(json);
        ((Composition)broken.Entry[0].Resource).Subject = null!;

        var results = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            System.Threading.Tasks.Task.Run(() => i % 2 == 0
                ? fixture.Validator.ValidateJsonAsync(json)
                : fixture.Validator.ValidateAsync(FhirJson.ParseBundle(FhirJson.Serialize(broken))))));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0, results[i].IsValid);
        }

        Assert.Equal(1, fixture.Validator.ValidatorsCreated); // a pool of one: callers queued, nobody built another
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenAnyValidation_WhenConvertedToOperationOutcome_ThenIssuesCarrySeverityCodeAndExpression()
    {
        var bundle = FhirJson.ParseBundle(await File.ReadAllTextAsync(TestPaths.Example(TestPaths.Prescription)));
        bundle.Entry.RemoveAt(0);

        var outcome = (await fixture.Validator.ValidateAsync(bundle)).ToOperationOutcome();

        var issue = Assert.Single(outcome.Issue, i => i.Details.Coding[0].Code == DocumentRules.CompositionFirst);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(OperationOutcome.IssueType.Structure, issue.Code);
        Assert.Equal("Bundle.entry[0].resource", Assert.Single(issue.Expression));
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenTextThatIsNotFhir_WhenValidated_ThenAFatalIssueNotAnException()
    {
        var result = await fixture.Validator.ValidateJsonAsync("{\"resourceType\": \"Bundle\", \"type\": 42");

        Assert.False(result.IsValid);
        Assert.Equal(FhirIssueSeverity.Fatal, Assert.Single(result.Issues).Severity);
    }
}
