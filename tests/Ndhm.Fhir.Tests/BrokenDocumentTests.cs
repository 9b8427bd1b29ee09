using Hl7.Fhir.Model;
using Ndhm.Fhir.Validation;

namespace Ndhm.Fhir.Tests;

/// <summary>Each project rule, broken on an otherwise valid official example, fails with one precise issue.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class BrokenDocumentTests(ValidatorFixture fixture)
{
    private static Bundle Prescription() =>
        FhirJson.ParseBundle(File.ReadAllText(TestPaths.Example(TestPaths.Prescription)));

    private static Composition CompositionOf(Bundle bundle) => (Composition)bundle.Entry[0].Resource;

    private async Task<FhirValidationIssue> SingleRuleViolation(Bundle bundle, string rule)
    {
        var result = await fixture.Validator.ValidateAsync(bundle);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors, i => i.Rule == rule);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenNoComposition_WhenValidated_ThenCompositionFirstFails()
    {
        var bundle = Prescription();
        bundle.Entry.RemoveAt(0);

        var issue = await SingleRuleViolation(bundle, DocumentRules.CompositionFirst);

        Assert.Equal("Bundle.entry[0].resource", issue.Expression);
        Assert.Contains("no Composition", issue.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenTheCompositionIsNotFirst_WhenValidated_ThenCompositionFirstFails()
    {
        var bundle = Prescription();
        (bundle.Entry[0], bundle.Entry[1]) = (bundle.Entry[1], bundle.Entry[0]);

        var issue = await SingleRuleViolation(bundle, DocumentRules.CompositionFirst);

        Assert.Contains("found Patient (the Composition is entry 1)", issue.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenAWrongCompositionType_WhenValidated_ThenCompositionTypeFails()
    {
        var bundle = Prescription();
        CompositionOf(bundle).Type = new CodeableConcept
        {
            Coding = [new Coding("http://snomed.info/sct", "371530004", "Clinical consultation report")],
        };

        var issue = await SingleRuleViolation(bundle, DocumentRules.CompositionType);

        Assert.Equal("Bundle.entry[0].resource.type", issue.Expression);
        Assert.Equal("code-invalid", issue.Code);
        Assert.Contains("PrescriptionRecord Composition must have type SNOMED CT 440545006", issue.Message);
        Assert.Contains("371530004", issue.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenADanglingReference_WhenValidated_ThenReferenceResolvesFails()
    {
        var bundle = Prescription();
        var request = bundle.Entry.Select(e => e.Resource).OfType<MedicationRequest>().First();
        request.ReasonReference = [new ResourceReference("Condition/does-not-exist")];
        var index = bundle.Entry.FindIndex(e => e.Resource == request);

        var issue = await SingleRuleViolation(bundle, DocumentRules.ReferenceResolves);

        Assert.Equal($"Bundle.entry[{index}].resource.reasonReference[0]", issue.Expression);
        Assert.Equal("not-found", issue.Code);
        Assert.Contains("'Condition/does-not-exist'", issue.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenADanglingSectionEntry_WhenValidated_ThenReferenceResolvesFails()
    {
        var bundle = Prescription();
        CompositionOf(bundle).Section[0].Entry.Add(new ResourceReference("urn:uuid:6a0ee1f5-0e2f-4b16-8a43-3bd5a3b4d3a4"));

        var issue = await SingleRuleViolation(bundle, DocumentRules.ReferenceResolves);

        Assert.Equal("Bundle.entry[0].resource.section[0].entry[3]", issue.Expression);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenNoSubject_WhenValidated_ThenCompositionSubjectFails()
    {
        var bundle = Prescription();
        CompositionOf(bundle).Subject = null!;

        var issue = await SingleRuleViolation(bundle, DocumentRules.CompositionSubject);

        Assert.Equal("Bundle.entry[0].resource.subject", issue.Expression);
        Assert.Equal("required", issue.Code);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenASubjectThatIsNotAPatient_WhenValidated_ThenCompositionSubjectFails()
    {
        var bundle = Prescription();
        CompositionOf(bundle).Subject = new ResourceReference("Practitioner/1");

        var issue = await SingleRuleViolation(bundle, DocumentRules.CompositionSubject);

        Assert.Contains("is a Practitioner", issue.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenACollectionBundle_WhenValidated_ThenBundleTypeFails()
    {
        var bundle = Prescription();
        bundle.Type = Bundle.BundleType.Collection;

        var issue = await SingleRuleViolation(bundle, DocumentRules.BundleType);

        Assert.Equal("Bundle.type", issue.Expression);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenAMedicationRequestWithoutStatus_WhenValidated_ThenTheIgProfileFails()
    {
        var bundle = Prescription();
        bundle.Entry.Select(e => e.Resource).OfType<MedicationRequest>().First().Status = null;

        var result = await fixture.Validator.ValidateAsync(bundle);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, i => i.Rule.StartsWith("firely", StringComparison.Ordinal) && i.Message.Contains("status"));
    }

    [Theory]
    [InlineData("\"gender\": \"male\"", "\"gender\": \"alien\"", "Bundle.entry[1].resource[0].gender[0]", "'alien'")]
    [InlineData("\"intent\": \"order\"", "\"intent\": \"order\", \"colour\": \"blue\"", "Bundle.entry[3].resource[0]", "'colour'")]
    [InlineData("\"status\": \"final\"", "\"status\": 42", "Bundle.entry[0].resource[0].status[0]", "42")]
    public async Task GivenJsonWithDataErrors_WhenValidated_ThenEachIsAnErrorAtItsLocation(
        string original, string replacement, string expression, string mentioned)
    {
        var json = File.ReadAllText(TestPaths.Example(TestPaths.Prescription));
        Assert.Contains(original, json);

        var result = await fixture.Validator.ValidateJsonAsync(json.Replace(original, replacement, StringComparison.Ordinal));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Expression == expression && e.Message.Contains(mentioned, StringComparison.Ordinal));
    }
}
