using Ndhm.Analytics;
using Ndhm.Core.Errors;

namespace Ndhm.UnitTests.Analytics;

public sealed class DisclosureControlTests
{
    private static readonly DateOnly Nov = new(2026, 11, 1);

    [Fact]
    public void GivenADayCellAtTheThreshold_ThenItIsReleasedAsADay()
    {
        var slices = AnalyticsRig.Slices([(Nov.AddDays(2), "MH", "1", "30-44", "F", 10)]);

        var result = AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(29)));

        var row = Assert.Single(result.Rows);
        Assert.Equal(("2026-11-03", PeriodGrain.Day, 10L), (row.Period, row.Grain, row.Count));
    }

    [Fact]
    public void GivenSmallDaysThatTogetherReachTheThresholdWithinAWeek_ThenTheyAreReleasedAsThatWeekOnly()
    {
        var slices = AnalyticsRig.Slices([(Nov, "MH", "1", "30-44", "F", 4), (Nov.AddDays(3), "MH", "1", "30-44", "F", 6)]);

        var result = AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(29)));

        var row = Assert.Single(result.Rows);
        Assert.Equal(("2026-11-W1", PeriodGrain.Week, 10L), (row.Period, row.Grain, row.Count));
        // A range that cuts the week gets nothing from it: no day-level difference can be taken.
        Assert.Empty(AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(3))).Rows);
    }

    [Fact]
    public void GivenSmallWeeksThatReachTheThresholdOverTheMonth_ThenTheyAreReleasedAsTheMonth_AndAnythingSmallerIsWithheld()
    {
        var slices = AnalyticsRig.Slices([
            (Nov, "MH", "1", "30-44", "F", 5), (Nov.AddDays(20), "MH", "1", "30-44", "F", 5),
            (Nov.AddDays(1), "MH", "1", "60-74", "M", 9),
        ]);

        var result = AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(29), groupBy: ["ageBand"]));

        var row = Assert.Single(result.Rows);
        Assert.Equal(("2026-11", PeriodGrain.Month, "30-44", 10L), (row.Period, row.Grain, row.Dimensions["ageBand"], row.Count));
        Assert.Equal(10, result.Total);
    }

    [Fact]
    public void GivenTheClassicDifferencingAttack_WhenTwoRangesDifferByTheDayOfOneEnrolment_ThenBothAnswersAreEqual()
    {
        // 40 consents a day in district 1, and one 75+ man on the 15th.
        var days = Enumerable.Range(0, 15).Select(d => (Nov.AddDays(d), "MH", "1", "30-44", "F", 40)).ToList();
        var slices = AnalyticsRig.Slices([.. days, (Nov.AddDays(14), "MH", "1", "75+", "M", 1)]);

        var wide = AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(14), PeriodGrain.Month, filters: new() { ["district"] = "1" }));
        var narrow = AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(13), PeriodGrain.Month, filters: new() { ["district"] = "1" }));
        var men = AnalyticsRig.Answer(slices, AnalyticsRig.Query(Nov, Nov.AddDays(14), filters: new() { ["gender"] = "M" }));

        Assert.Equal(600 - 560, wide.Total - narrow.Total); // the 15th's released 40, never 41
        Assert.Empty(men.Rows);
    }

    [Fact]
    public void GivenOneFacilityWithFewEvents_WhenAQueryNarrowsToItsDistrictAndType_ThenItIsRefused()
    {
        var slices = new[] { AnalyticsRig.Fact("a", Nov, district: "7", facility: "IN-SMALL", facilityType: "clinic") }
            .Select(f => f.Normalise(AnalyticsRig.Definitions)!)
            .Select(f => { var s = AggregateSlice.Empty(f.Slice); s.Apply("r", 1, f); return s; })
            .ToList();

        var error = Assert.Throws<DomainException>(() => SmallFacilityRule.Check(
            AnalyticsRig.Query(Nov, Nov.AddDays(29), filters: new() { ["district"] = "7", ["facilityType"] = "clinic" }), slices, 10));

        Assert.Equal(AnalyticsErrors.SmallFacility, error.Code);
        SmallFacilityRule.Check(AnalyticsRig.Query(Nov, Nov.AddDays(29), filters: new() { ["district"] = "7", ["facilityType"] = "hospital" }), slices, 10);
    }

    [Theory]
    [InlineData("nope", null, "2026-11-01", "2026-11-30", null, AnalyticsErrors.UnknownMeasure)]
    [InlineData("consent-requests", "name", "2026-11-01", "2026-11-30", null, AnalyticsErrors.InvalidDimension)]
    [InlineData("consent-requests", "state,state", "2026-11-01", "2026-11-30", null, AnalyticsErrors.InvalidDimension)]
    [InlineData("consent-requests", null, "2026-11-30", "2026-11-01", null, AnalyticsErrors.InvalidDateRange)]
    [InlineData("consent-requests", null, "2025-01-01", "2026-11-30", null, AnalyticsErrors.InvalidDateRange)]
    [InlineData("consent-requests", null, "2026-11-01", "30/11/2026", null, AnalyticsErrors.InvalidDateRange)]
    [InlineData("consent-requests", null, "2026-11-01", "2026-11-30", "hour", AnalyticsErrors.InvalidGranularity)]
    public void GivenAnInvalidQuery_ThenItIsA400WithAStableCode(string measure, string? dimensions, string from, string to, string? grain, string code)
    {
        var error = Assert.Throws<DomainException>(() => AnalyticsQuery.Create(AnalyticsRig.Definitions, measure, dimensions,
            new Dictionary<string, string>(), from, to, grain, new DateOnly(2026, 12, 3)));

        Assert.Equal((ErrorKind.Validation, code), (error.Kind, error.Code));
    }

    [Fact]
    public void GivenAFilterOnFreeTextOrAnUnknownDimension_ThenItIsRejected()
    {
        Assert.Equal(AnalyticsErrors.InvalidFilter, Assert.Throws<DomainException>(() => AnalyticsQuery.Create(AnalyticsRig.Definitions,
            "consent-requests", null, new Dictionary<string, string> { ["patientName"] = "Asha" }, "2026-11-01", "2026-11-30", null, new DateOnly(2026, 12, 3))).Code);
        Assert.Equal(AnalyticsErrors.InvalidFilter, Assert.Throws<DomainException>(() => AnalyticsQuery.Create(AnalyticsRig.Definitions,
            "consent-requests", null, new Dictionary<string, string> { ["ageBand"] = "31" }, "2026-11-01", "2026-11-30", null, new DateOnly(2026, 12, 3))).Code);
    }

    [Fact]
    public void GivenARangeEndingTodayOrLater_ThenItEndsYesterday()
    {
        var query = AnalyticsQuery.Create(AnalyticsRig.Definitions, "consent-requests", "state", new Dictionary<string, string>(),
            "2026-11-01", "2027-01-01", "week", new DateOnly(2026, 12, 3));

        Assert.Equal(new DateOnly(2026, 12, 2), query.To);
        Assert.Equal([(2026, 11), (2026, 12)], query.Months());
    }
}
