using System.Text;
using Ndhm.Pharmacy.Catalogue;
using Xunit;

namespace Ndhm.UnitTests.Pharmacy;

public sealed class DrugCatalogueTests
{
    [Fact]
    public void GivenTheSample_WhenLoaded_ThenEveryListAndTheRegisterSchedulesAreRepresented()
    {
        var catalogue = DrugCatalogue.Sample();

        Assert.All(Enum.GetValues<TpgList>(), list => Assert.Contains(catalogue.Drugs, d => d.List == list));
        Assert.Contains(catalogue.Drugs, d => d.Schedule == DrugSchedule.H1);
        Assert.Contains(catalogue.Drugs, d => d.Schedule == DrugSchedule.X);
    }

    [Fact]
    public void GivenTheSample_WhenLoaded_ThenEveryDrugHasAnAtcLevel2Class_AndAnOperatorFileMayLeaveItOut()
    {
        Assert.All(DrugCatalogue.Sample().Drugs, d => Assert.Matches("^[A-Z][0-9]{2}$", d.AtcClass));
        Assert.Equal("J01", DrugCatalogue.Sample().Find("SAMPLE-AZI-500-TAB")!.AtcClass);

        var withoutClass = DrugCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(
            """{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"O"}]}""")));

        Assert.Null(withoutClass.Find("X")!.AtcClass);
    }

    [Fact]
    public void GivenADrug_WhenAskedForSubstitutes_ThenOnlySameCompositionAndStrength()
    {
        var catalogue = DrugCatalogue.Sample();
        var amoxicillin500 = catalogue.Find("SAMPLE-AMOX-500-CAP")!;

        var substitutes = catalogue.SubstitutesFor(amoxicillin500);

        Assert.Equal(["SAMPLE-AMOX-500-CAP-B"], substitutes.Select(d => d.Code));
        Assert.False(catalogue.Find("SAMPLE-AMOX-250-CAP")!.IsSubstituteFor(amoxicillin500));
    }

    [Theory]
    [InlineData("""{"drugs":[]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"Q","tpgList":"O"}]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"Z"}]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"7"}]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","form":"tablet","schedule":"H","tpgList":"O"}]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"O"},{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"O"}]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"O","atcClass":"J01C"}]}""")]
    [InlineData("""{"drugs":[{"code":"X","name":"n","composition":"c","strength":"1 mg","form":"tablet","schedule":"H","tpgList":"O","atcClass":"j01"}]}""")]
    public void GivenABadOperatorCatalogue_WhenLoaded_ThenItIsRefused(string json) =>
        Assert.Throws<InvalidOperationException>(() => DrugCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
}
