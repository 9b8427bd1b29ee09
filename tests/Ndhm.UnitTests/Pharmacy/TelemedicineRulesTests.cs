using Ndhm.Core.Errors;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Consultations;
using Ndhm.Pharmacy.Tpg;
using Xunit;

namespace Ndhm.UnitTests.Pharmacy;

public sealed class TelemedicineRulesTests
{
    private static readonly DrugCatalogue Catalogue = DrugCatalogue.Sample();
    private static readonly Drug ListO = Catalogue.Find("SAMPLE-PCM-500-TAB")!;
    private static readonly Drug ListA = Catalogue.Find("SAMPLE-AMOX-500-CAP")!;
    private static readonly Drug ListB = Catalogue.Find("SAMPLE-MET-500-TAB")!;
    private static readonly Drug ScheduleX = Catalogue.Find("SAMPLE-MPH-10-TAB")!;
    private static readonly Drug Psychotropic = Catalogue.Find("SAMPLE-ALP-05-TAB")!;

    private static ConsultationFacts Consultation(ConsultationMode mode, bool followUp = false, string? condition = "E11") =>
        new("c1", "71234567890123", "91123456789012", mode, followUp, condition, "IN2810000001", ConsultationStatus.InProgress, DateTimeOffset.UnixEpoch, null);

    [Theory]
    [InlineData(ConsultationMode.Video, false)]
    [InlineData(ConsultationMode.Audio, false)]
    [InlineData(ConsultationMode.Chat, false)]
    [InlineData(ConsultationMode.Chat, true)]
    public void GivenListO_WhenPrescribedInAnyMode_ThenAllowed(ConsultationMode mode, bool followUp) =>
        Assert.Null(TelemedicineRules.Check(ListO, Consultation(mode, followUp), null));

    [Fact]
    public void GivenListA_WhenFirstConsultationByVideo_ThenAllowed() =>
        Assert.Null(TelemedicineRules.Check(ListA, Consultation(ConsultationMode.Video), null));

    [Theory]
    [InlineData(ConsultationMode.Audio, false)]
    [InlineData(ConsultationMode.Chat, false)]
    [InlineData(ConsultationMode.Video, true)]
    public void GivenListA_WhenNotAFirstVideoConsultation_ThenRefusedNamingListA(ConsultationMode mode, bool followUp)
    {
        var violation = TelemedicineRules.Check(ListA, Consultation(mode, followUp), null);

        Assert.NotNull(violation);
        Assert.Equal(TelemedicineRules.ListACode, violation.Code);
        Assert.Equal("list-A", violation.Rule);
        Assert.Equal(ListA.Code, violation.DrugCode);
    }

    [Fact]
    public void GivenListB_WhenFollowUpForTheSameCondition_ThenAllowed() =>
        Assert.Null(TelemedicineRules.Check(ListB, Consultation(ConsultationMode.Audio, followUp: true, condition: "E11"), " e11 "));

    [Theory]
    [InlineData(false, "E11", "E11")]
    [InlineData(true, "E11", "I10")]
    [InlineData(true, null, "E11")]
    [InlineData(true, "E11", null)]
    public void GivenListB_WhenNotAFollowUpForTheSameCondition_ThenRefusedNamingListB(bool followUp, string? consultationCondition, string? prescribed)
    {
        var violation = TelemedicineRules.Check(ListB, Consultation(ConsultationMode.Video, followUp, consultationCondition), prescribed);

        Assert.NotNull(violation);
        Assert.Equal(TelemedicineRules.ListBCode, violation.Code);
        Assert.Equal("list-B", violation.Rule);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenAProhibitedDrug_WhenPrescribedEvenByVideoOrFollowUp_ThenRefused(bool followUp)
    {
        foreach (var drug in new[] { ScheduleX, Psychotropic, Catalogue.Find("SAMPLE-COD-10-SYR")! })
        {
            var violation = TelemedicineRules.Check(drug, Consultation(ConsultationMode.Video, followUp), "E11");

            Assert.NotNull(violation);
            Assert.Equal(TelemedicineRules.ProhibitedCode, violation.Code);
        }
    }

    [Fact]
    public void GivenAScheduleXDrugListedAsO_WhenChecked_ThenStillProhibited()
    {
        var mislisted = ScheduleX with { List = TpgList.O };

        Assert.Equal(TelemedicineRules.ProhibitedCode, TelemedicineRules.Check(mislisted, Consultation(ConsultationMode.Video), null)?.Code);
    }

    [Fact]
    public void GivenViolations_WhenRefused_ThenTheProblemNamesTheDrugAndTheRule()
    {
        var violations = TelemedicineRules.CheckAll([ListO, ListA, ScheduleX], Consultation(ConsultationMode.Audio), null);

        var refusal = TelemedicineRules.Refusal(violations);

        Assert.Equal(2, violations.Count);
        Assert.Equal(ErrorKind.Validation, refusal.Kind);
        Assert.Equal(TelemedicineRules.ListACode, refusal.Code);
        Assert.Equal(ListA.Code, refusal.Extensions["drug"]);
        Assert.Equal("list-A", refusal.Extensions["rule"]);
        Assert.Contains(ListA.Name, refusal.Detail);
    }
}
