using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;
using Ndhm.Fhir.Validation;
using Xunit.Abstractions;

namespace Ndhm.Fhir.Tests;

/// <summary>What the validator reports as warnings on purpose, and what stays an error.</summary>
[Collection(ValidatorCollection.Name)]
public sealed class LeniencyTests(ValidatorFixture fixture, ITestOutputHelper output)
{
    private async Task<FhirValidationResult> Validate(Bundle bundle)
    {
        var result = await fixture.Validator.ValidateAsync(bundle);
        foreach (var issue in result.Issues)
        {
            output.WriteLine(issue.ToString());
        }

        return result;
    }

    private static (Bundle Bundle, MedicationRequest Request) Prescription()
    {
        var request = SampleDocuments.Paracetamol();
        var bundle = DocumentBundleBuilder.For(AbdmDocumentType.Prescription)
            .Date(SampleDocuments.When)
            .Patient(SampleDocuments.Patient)
            .Practitioner(SampleDocuments.Doctor)
            .Add(request)
            .Build();
        return (bundle, request);
    }

    [Fact]
    public async Task GivenANarrativeAStrictXhtmlCheckRejects_WhenValidated_ThenItIsAWarningOnly()
    {
        var (bundle, request) = Prescription();
        request.Text = new Narrative
        {
            Status = Narrative.NarrativeStatus.Generated,
            Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"x()\">Paracetamol</p><script>alert(1)</script></div>",
        };

        var result = await Validate(bundle);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Contains(result.Warnings, w => w.Expression?.Contains(".text", StringComparison.Ordinal) == true
                                              || w.Message.Contains("narrative", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GivenAnUnknownExtension_WhenValidated_ThenItIsAWarningOnly()
    {
        var (bundle, request) = Prescription();
        request.Extension.Add(new Extension("https://hip.example.in/fhir/StructureDefinition/pharmacy-note", new FhirString("bring old strip")));

        var result = await Validate(bundle);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Contains(result.Warnings, w => w.Message.Contains("pharmacy-note", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAnUnknownModifierExtension_WhenValidated_ThenItIsAnError()
    {
        var (bundle, request) = Prescription();
        request.ModifierExtension.Add(new Extension("https://hip.example.in/fhir/StructureDefinition/not-really", new FhirBoolean(true)));

        var result = await Validate(bundle);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Message.Contains("not-really", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenACodeOutsideARequiredCoreValueSet_WhenValidated_ThenItIsAnError()
    {
        var (bundle, _) = Prescription();
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Telecom[0].SystemElement = new Code<ContactPoint.ContactPointSystem> { JsonValue = "pigeon" };

        var result = await Validate(bundle);

        Assert.False(result.IsValid);
    }
}
