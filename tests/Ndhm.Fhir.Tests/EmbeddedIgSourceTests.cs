using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;
using Ndhm.Fhir.Ig;

namespace Ndhm.Fhir.Tests;

public sealed class EmbeddedIgSourceTests
{
    [Theory]
    [InlineData("PrescriptionRecord")]
    [InlineData("DocumentBundle")]
    [InlineData("Patient")]
    public void GivenAnIgCanonical_WhenResolved_ThenTheEmbeddedProfileWithItsSnapshotComesBack(string name)
    {
        var sd = Assert.IsType<StructureDefinition>(EmbeddedIgSource.Default.ResolveByCanonicalUri(AbdmProfiles.Base + name));

        Assert.Equal(AbdmProfiles.Base + name, sd.Url);
        Assert.NotEmpty(sd.Snapshot.Element);
    }

    [Fact]
    public void GivenAVersionedCanonical_WhenResolved_ThenTheVersionIsIgnored() =>
        Assert.NotNull(EmbeddedIgSource.Default.ResolveByCanonicalUri(AbdmProfiles.Patient + "|2.0.1"));

    [Fact]
    public void GivenACoreUrlWithAnIdTheIgAlsoUses_WhenResolved_ThenTheIgDoesNotAnswer() =>
        Assert.Null(EmbeddedIgSource.Default.ResolveByUri("http://hl7.org/fhir/StructureDefinition/Patient"));

    [Fact]
    public void GivenTheEmbeddedIg_ThenEveryProfileAndValueSetIsThere()
    {
        Assert.Equal(57, EmbeddedIgSource.Default.Canonicals.Count);
        Assert.NotNull(EmbeddedIgSource.Default.ResolveByCanonicalUri("https://nrces.in/ndhm/fhir/r4/ValueSet/ndhm-vital-signs"));
    }
}
