using Hl7.Fhir.Model;
using Ndhm.Core.Errors;
using Ndhm.Fhir.Documents;
using Xunit.Abstractions;

namespace Ndhm.Fhir.Tests;

[Collection(ValidatorCollection.Name)]
public sealed class DocumentBundleBuilderTests(ValidatorFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<AbdmDocumentType> AllTypes() => new(Enum.GetValues<AbdmDocumentType>());

    [Theory]
    [MemberData(nameof(AllTypes))]
    public async Task GivenABuiltDocument_WhenValidated_ThenItConformsToTheIg(AbdmDocumentType type)
    {
        var bundle = SampleDocuments.Build(type);

        var result = await fixture.Validator.ValidateAsync(bundle);

        foreach (var issue in result.Issues)
        {
            output.WriteLine(issue.ToString());
        }

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void GivenABuiltDocument_ThenItHasTheAbdmDocumentShape(AbdmDocumentType type)
    {
        var kind = AbdmProfiles.For(type);

        var bundle = SampleDocuments.Build(type);

        Assert.Equal(Bundle.BundleType.Document, bundle.Type);
        Assert.NotNull(bundle.Identifier?.Value);
        Assert.Equal(SampleDocuments.When, bundle.Timestamp);
        Assert.Contains(AbdmProfiles.DocumentBundle, bundle.Meta.Profile);
        var composition = Assert.IsType<Composition>(bundle.Entry[0].Resource);
        Assert.True(kind.Matches(composition.Type));
        if (kind.ProfileInIg)
        {
            Assert.Equal([kind.CompositionProfile], composition.Meta.Profile);
        }

        Assert.All(bundle.Entry, e => Assert.Equal("urn:uuid:" + e.Resource.Id, e.FullUrl));
        var patient = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Patient>());
        Assert.Contains(patient.Identifier, i => i.System == AbdmProfiles.AbhaNumberSystem && i.Value == "91-1234-5678-9012");
        Assert.Contains(patient.Identifier, i => i.System == AbdmProfiles.AbhaAddressSystem && i.Value == "asha.rao@sbx");
        Assert.Equal("urn:uuid:" + patient.Id, composition.Subject.Reference);
        var author = Assert.Single(composition.Author);
        Assert.IsType<Practitioner>(bundle.Entry.Single(e => e.FullUrl == author.Reference).Resource);
        Assert.IsType<Organization>(bundle.Entry.Single(e => e.FullUrl == composition.Custodian.Reference).Resource);
    }

    [Fact]
    public void GivenAPrescription_WhenSerializedAndParsed_ThenItRoundTrips()
    {
        var bundle = SampleDocuments.Build(AbdmDocumentType.Prescription);

        var json = FhirJson.Serialize(bundle);
        var again = FhirJson.ParseBundle(json);

        Assert.Equal(json, FhirJson.Serialize(again));
        Assert.Contains("\"code\":\"440545006\"", json);
        var request = again.Entry.Select(e => e.Resource).OfType<MedicationRequest>().Single();
        Assert.StartsWith("urn:uuid:", request.Subject.Reference);
        Assert.StartsWith("urn:uuid:", request.Requester.Reference);
    }

    [Fact]
    public void GivenNoPatient_WhenBuilt_ThenTheDocumentIsIncomplete()
    {
        var builder = DocumentBundleBuilder.For(AbdmDocumentType.Prescription)
            .Practitioner(SampleDocuments.Doctor)
            .Add(SampleDocuments.Paracetamol());

        var error = Assert.Throws<DomainException>(builder.Build);

        Assert.Equal(FhirErrorCodes.IncompleteDocument, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Fact]
    public void GivenAPatientWithoutAbhaIdentity_WhenAdded_ThenTheBuilderRefusesIt()
    {
        var error = Assert.Throws<DomainException>(() =>
            DocumentBundleBuilder.For(AbdmDocumentType.Prescription).Patient(new AbhaPatient(null, null, "Nobody")));

        Assert.Contains("ABHA", error.Detail);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("91-1234-5678-901X")]
    public void GivenAMalformedAbhaNumber_WhenAdded_ThenTheBuilderRefusesIt(string number)
    {
        Assert.Throws<DomainException>(() =>
            DocumentBundleBuilder.For(AbdmDocumentType.Prescription).Patient(new AbhaPatient(number, null, "X")));
    }

    [Fact]
    public void GivenABuilder_WhenBuiltTwice_ThenTheSecondBuildIsRefused()
    {
        var builder = DocumentBundleBuilder.For(AbdmDocumentType.Prescription)
            .Patient(SampleDocuments.Patient).Practitioner(SampleDocuments.Doctor).Add(SampleDocuments.Paracetamol());
        builder.Build();

        Assert.Throws<InvalidOperationException>(builder.Build);
    }

    [Fact]
    public void GivenAnOpConsultation_ThenResourcesLandInTheSectionsTheIgSlicesByCode()
    {
        var bundle = SampleDocuments.Build(AbdmDocumentType.OPConsultation);
        var composition = (Composition)bundle.Entry[0].Resource;

        Assert.Equal(
            ["422843007", "722446000", "721912009"],
            composition.Section.Select(s => s.Code.Coding[0].Code));
        Assert.NotNull(composition.Encounter);
    }
}
