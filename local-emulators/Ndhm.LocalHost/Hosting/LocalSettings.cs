using System.Text.Json.Nodes;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.LocalHost.Hosting;

/// <summary>
/// Loads the <c>Values</c> of local.settings.json into configuration (and the process environment, where the
/// Azure SDKs read variables such as COSMOS_DISABLE_IMDS_ACCESS), as <c>func start</c> does. Real environment
/// variables win, so tests and scripts can point the host at other ports.
/// </summary>
public static class LocalSettings
{
    public static IReadOnlyDictionary<string, string?> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, string?>();
        }

        var values = JsonNode.Parse(File.ReadAllText(path))?["Values"]?.AsObject() ?? [];
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            var effective = Environment.GetEnvironmentVariable(name) ?? value?.ToString();
            result[SettingsConfiguration.SettingKey(name)] = effective;
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                Environment.SetEnvironmentVariable(name, effective);
            }
        }

        return result;
    }
}
