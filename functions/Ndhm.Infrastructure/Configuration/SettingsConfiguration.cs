using Microsoft.Extensions.Configuration;

namespace Ndhm.Infrastructure.Configuration;

/// <summary>
/// Reads an application setting by its app-settings name (<c>KeyVault__Uri</c>, as in
/// <see cref="Ndhm.Core.Configuration.SettingNames"/>) whether it reached configuration as an environment variable
/// (key <c>KeyVault:Uri</c>) or verbatim (local.settings.json, in-memory test settings). The one place that knows.
/// </summary>
public static class SettingsConfiguration
{
    /// <returns>The value, or null when the setting is absent or blank.</returns>
    public static string? GetSetting(this IConfiguration configuration, string settingName) =>
        configuration[SettingKey(settingName)] is { Length: > 0 } nested && !string.IsNullOrWhiteSpace(nested) ? nested
        : configuration[settingName] is { Length: > 0 } verbatim && !string.IsNullOrWhiteSpace(verbatim) ? verbatim
        : null;

    /// <summary>The configuration key (and section path) of a setting: <c>A__B</c> becomes <c>A:B</c>.</summary>
    public static string SettingKey(string settingName) =>
        settingName.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
}
