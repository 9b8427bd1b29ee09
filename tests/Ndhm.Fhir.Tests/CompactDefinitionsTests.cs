using Hl7.Fhir.Model;
using Ndhm.Fhir.Definitions;
using Ndhm.Fhir.Documents;
using Ndhm.Fhir.Validation;
using Xunit.Abstractions;

namespace Ndhm.Fhir.Tests;

/// <summary>The validator over the full R4 specification, built once for the comparison tests (seconds cold).</summary>
public sealed class FullSpecificationFixture : IAsyncLifetime
{
    public AbdmFhirValidator Validator { get; } = new(new AbdmFhirValidatorOptions { Definitions = FhirDefinitions.FullSpecification });

    public Task InitializeAsync() => Validator.WarmUpAsync();

    public Task DisposeAsync()
    {
        Validator.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The compact definitions (the default) must give exactly the findings of the full specification: same verdict,
/// and the same issues (severity, code, rule, location, message) on every official example, every broken variant
/// the other tests use, and a built document of every type.
/// </summary>
[Collection(ValidatorCollection.Name)]
public sealed class CompactDefinitionsTests(ValidatorFixture fixture, FullSpecificationFixture full, ITestOutputHelper output)
    : IClassFixture<FullSpecificationFixture>
{
    private static string Example(string file) => File.ReadAllText(TestPaths.Example(file));

    private static string PrescriptionJson => Example(TestPaths.Prescription);

    private static Bundle Prescription() => FhirJson.ParseBundle(PrescriptionJson);

    private static Bundle Mutate(Action<Bundle> change)
    {
        var bundle = Prescription();
        change(bundle);
        return bundle;
    }

    private static Composition CompositionOf(Bundle bundle) => (Composition)bundle.Entry[0].Resource;

    private static Bundle Built(Action<MedicationRequest, Bundle> change)
    {
        var request = SampleDocuments.Paracetamol();
        var bundle = DocumentBundleBuilder.For(AbdmDocumentType.Prescription).Date(SampleDocuments.When)
            .Patient(SampleDocuments.Patient).Practitioner(SampleDocuments.Doctor).Add(request).Build();
        change(request, bundle);
        return bundle;
    }

    /// <summary>The official examples and the broken variants of BrokenDocumentTests and LeniencyTests, as JSON.</summary>
    public static TheoryData<string> Corpus() => new(CorpusItems());

    private static IEnumerable<string> CorpusItems() =>
        new[] { TestPaths.Prescription, TestPaths.OPConsult, TestPaths.DiagnosticReportLab }.Select(f => "example:" + f)
            .Concat(Variants.Keys.Select(name => "variant:" + name));

    private static readonly Dictionary<string, Func<string>> Variants = new()
    {
        ["no-composition"] = () => FhirJson.Serialize(Mutate(b => b.Entry.RemoveAt(0))),
        ["composition-not-first"] = () => FhirJson.Serialize(Mutate(b => (b.Entry[0], b.Entry[1]) = (b.Entry[1], b.Entry[0]))),
        ["wrong-composition-type"] = () => FhirJson.Serialize(Mutate(b => CompositionOf(b).Type = new CodeableConcept
        {
            Coding = [new Coding("http://snomed.info/sct", "371530004", "Clinical consultation report")],
        })),
        ["dangling-reference"] = () => FhirJson.Serialize(Mutate(b =>
            b.Entry.Select(e => e.Resource).OfType<MedicationRequest>().First().ReasonReference =
                [new ResourceReference("Condition/does-not-exist")])),
        ["dangling-section-entry"] = () => FhirJson.Serialize(Mutate(b =>
            CompositionOf(b).Section[0].Entry.Add(new ResourceReference("urn:uuid:6a0ee1f5-0e2f-4b16-8a43-3bd5a3b4d3a4")))),
        ["no-subject"] = () => FhirJson.Serialize(Mutate(b => CompositionOf(b).Subject = null)),
        ["subject-not-patient"] = () => FhirJson.Serialize(Mutate(b => CompositionOf(b).Subject = new ResourceReference("Practitioner/1"))),
        ["collection-bundle"] = () => FhirJson.Serialize(Mutate(b => b.Type = Bundle.BundleType.Collection)),
        ["medication-request-without-status"] = () => FhirJson.Serialize(Mutate(b =>
            b.Entry.Select(e => e.Resource).OfType<MedicationRequest>().First().Status = null)),
        ["gender-outside-value-set"] = () => PrescriptionJson.Replace("\"gender\": \"male\"", "\"gender\": \"alien\"", StringComparison.Ordinal),
        ["unknown-element"] = () => PrescriptionJson.Replace("\"intent\": \"order\"", "\"intent\": \"order\", \"colour\": \"blue\"", StringComparison.Ordinal),
        ["wrong-literal-type"] = () => PrescriptionJson.Replace("\"status\": \"final\"", "\"status\": 42", StringComparison.Ordinal),
        ["strict-xhtml-narrative"] = () => FhirJson.Serialize(Built((r, _) => r.Text = new Narrative
        {
            Status = Narrative.NarrativeStatus.Generated,
            Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"x()\">Paracetamol</p><script>alert(1)</script></div>",
        })),
        ["unknown-extension"] = () => FhirJson.Serialize(Built((r, _) =>
            r.Extension.Add(new Extension("https://hip.example.in/fhir/StructureDefinition/pharmacy-note", new FhirString("bring old strip"))))),
        ["unknown-modifier-extension"] = () => FhirJson.Serialize(Built((r, _) =>
            r.ModifierExtension.Add(new Extension("https://hip.example.in/fhir/StructureDefinition/not-really", new FhirBoolean(true))))),
        ["code-outside-required-core-value-set"] = () => FhirJson.Serialize(Built((_, b) =>
            b.Entry.Select(e => e.Resource).OfType<Patient>().Single().Telecom[0].SystemElement =
                new Code<ContactPoint.ContactPointSystem> { JsonValue = "pigeon" })),
    };

    private static string Load(string item) => item.StartsWith("example:", StringComparison.Ordinal)
        ? Example(item["example:".Length..])
        : Variants[item["variant:".Length..]]();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task GivenAnExampleOrBrokenVariant_WhenValidatedWithCompactDefinitions_ThenTheFindingsEqualTheFullSpecifications(string item)
    {
        var json = Load(item);

        var expected = await full.Validator.ValidateJsonAsync(json);
        var actual = await fixture.Validator.ValidateJsonAsync(json);

        output.WriteLine($"{item}: full {expected.Issues.Count} issues ({expected.Errors.Count()} errors), compact {actual.Issues.Count}");
        Assert.Equal(FhirDefinitions.Compact, fixture.Validator.Definitions);
        Assert.Equal(expected.IsValid, actual.IsValid);
        Assert.Equal(expected.Issues.Select(i => (i.Severity, i.Code, i.Rule)), actual.Issues.Select(i => (i.Severity, i.Code, i.Rule)));
        Assert.Equal(expected.Issues, actual.Issues); // location and message too
    }

    [Fact]
    public async Task GivenTheExamplesAndVariants_WhenValidatedWithCompactDefinitions_ThenTheFullSpecificationIsNeverOpened()
    {
        using var compact = new AbdmFhirValidator(new AbdmFhirValidatorOptions { SpecificationZipPath = "/nonexistent/specification.zip" });

        foreach (var item in CorpusItems())
        {
            await compact.ValidateJsonAsync(Load(item));
        }

        Assert.Equal(0, compact.FullSpecificationFallbacks);
    }

    [Theory]
    [MemberData(nameof(DocumentBundleBuilderTests.AllTypes), MemberType = typeof(DocumentBundleBuilderTests))]
    public async Task GivenABuiltDocumentOfEachType_WhenValidatedWithCompactDefinitions_ThenTheFindingsEqualTheFullSpecifications(AbdmDocumentType type)
    {
        var json = FhirJson.Serialize(SampleDocuments.Build(type));

        var expected = await full.Validator.ValidateJsonAsync(json);
        var actual = await fixture.Validator.ValidateJsonAsync(json);

        Assert.Equal(expected.IsValid, actual.IsValid);
        Assert.Equal(expected.Issues, actual.Issues);
    }

    [Fact]
    public void GivenTheOfficialExamples_WhenTheCompactDefinitionsAreRebuilt_ThenTheShippedOnesAreIdentical()
    {
        var corpus = new[] { TestPaths.DiagnosticReportLab, TestPaths.OPConsult, TestPaths.Prescription }
            .Select(f => FhirJson.ParseBundle(Example(f)));

        var rebuilt = CompactDefinitionsBuilder.Build(corpus);

        var assembly = typeof(CompactDefinitionSource).Assembly;
        var shipped = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Ndhm.Fhir.Definitions.r4.", StringComparison.Ordinal))
            .ToDictionary(n => n["Ndhm.Fhir.Definitions.r4.".Length..], n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            });
        Assert.Equal(rebuilt.Keys.Order(), shipped.Keys.Order());
        foreach (var (name, text) in rebuilt)
        {
            Assert.True(text == shipped[name], $"{name} differs from a fresh build: run `ndhm fhir definitions build` (Definitions/README.md)");
        }
    }

    [Fact]
    public void GivenACanonicalNoDefinitionHas_WhenResolved_ThenNullWithoutOpeningTheFullSpecification()
    {
        var opened = false;
        var source = CompactDefinitionSource.FromAssembly(() =>
        {
            opened = true;
            throw new InvalidOperationException("the full specification must not be opened");
        });

#pragma warning disable CS0618
        Assert.Null(source.ResolveByCanonicalUri("http://hl7.org/fhirpath/System.String"));
        Assert.Null(source.ResolveByCanonicalUri("https://hip.example.in/fhir/StructureDefinition/pharmacy-note"));
        Assert.NotNull(source.ResolveByCanonicalUri("http://hl7.org/fhir/StructureDefinition/Bundle"));
        Assert.NotNull(source.ResolveByCanonicalUri("https://nrces.in/ndhm/fhir/r4/StructureDefinition/PrescriptionRecord"));
#pragma warning restore CS0618
        Assert.False(opened);
        Assert.Equal(0, source.FallbackResolutions);
    }

    [Fact]
    public void GivenACoreCanonicalOutsideTheCompactSet_WhenResolved_ThenTheFullSpecificationAnswers()
    {
        const string notInSet = "http://hl7.org/fhir/StructureDefinition/Questionnaire";
        var source = CompactDefinitionSource.FromAssembly(() => new StubResolver());
        Assert.DoesNotContain(notInSet, source.Canonicals);

#pragma warning disable CS0618
        var resolved = source.ResolveByCanonicalUri(notInSet);
#pragma warning restore CS0618

        Assert.Equal(notInSet, Assert.IsType<StructureDefinition>(resolved).Url);
        Assert.Equal(1, source.FallbackResolutions);
    }

    private sealed class StubResolver : Hl7.Fhir.Specification.Source.IResourceResolver
    {
        public Resource ResolveByCanonicalUri(string uri) => new StructureDefinition { Url = uri };

        public Resource ResolveByUri(string uri) => new StructureDefinition { Url = uri };
    }
}
