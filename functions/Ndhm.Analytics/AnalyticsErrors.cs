namespace Ndhm.Analytics;

public static class AnalyticsErrors
{
    public const string UnknownMeasure = "ANALYTICS_UNKNOWN_MEASURE";
    public const string InvalidDimension = "ANALYTICS_INVALID_DIMENSION";
    public const string InvalidFilter = "ANALYTICS_INVALID_FILTER";
    public const string InvalidDateRange = "ANALYTICS_INVALID_DATE_RANGE";
    public const string InvalidGranularity = "ANALYTICS_INVALID_GRANULARITY";
    public const string SmallFacility = "ANALYTICS_NARROWS_TO_SMALL_FACILITY";
}

/// <summary>Settings (<c>Analytics__SmallCellThreshold</c>): blocks under the threshold are never released.</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    public int SmallCellThreshold { get; set; } = DisclosureControl.DefaultThreshold;
}
