using System.Text.RegularExpressions;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.LocalHost.Hosting;

/// <summary>
/// Resolves <c>%SETTING%</c> placeholders in trigger attributes (queue names, CRON schedules) from configuration,
/// as the Functions host does with app settings. A missing setting is a start-up error, never an empty name.
/// </summary>
public static partial class AppSettings
{
    public static string Resolve(IConfiguration configuration, string value, string usedBy) =>
        Placeholder().Replace(value, m =>
        {
            var name = m.Groups[1].Value;
            return Lookup(configuration, name)
                ?? throw new InvalidOperationException($"{usedBy}: app setting '{name}' (from '{value}') is not set.");
        });

    /// <summary>A setting by its app-settings name; <c>__</c> and <c>:</c> both separate sections.</summary>
    public static string? Lookup(IConfiguration configuration, string name) => configuration.GetSetting(name);

    /// <summary>
    /// The storage connection string a trigger names, as the Functions host finds it: the named setting,
    /// then <c>AzureWebJobs&lt;name&gt;</c>; no name means <c>AzureWebJobsStorage</c>.
    /// </summary>
    public static string StorageConnection(IConfiguration configuration, string? connectionName, string usedBy)
    {
        var name = string.IsNullOrWhiteSpace(connectionName) ? "AzureWebJobsStorage" : connectionName;
        return Lookup(configuration, name)
            ?? Lookup(configuration, "AzureWebJobs" + name)
            ?? throw new InvalidOperationException(
                $"{usedBy}: storage connection setting '{name}' is not set (a connection string is expected locally).");
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Placeholder();
}
