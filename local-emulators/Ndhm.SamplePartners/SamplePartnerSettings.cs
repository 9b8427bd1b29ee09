namespace Ndhm.SamplePartners;

/// <summary>
/// Where the platform is and how the sample partners present themselves to it. Command line or environment
/// (<c>--platform http://localhost:7071</c> or <c>SamplePartners__Platform</c>, ...).
/// </summary>
public sealed record SamplePartnerSettings(Uri Platform, Uri PublicBaseUrl, string ClientPrefix, string CmId, string? StateFile)
{
    public static SamplePartnerSettings From(IConfiguration configuration, IEnumerable<string> urls)
    {
        string? Read(string name) => configuration[name] ?? configuration[$"SamplePartners:{name}"];

        var platform = Read("platform") ?? "http://localhost:7071";
        // The platform calls the bridges at this address: the first listening URL, named as localhost (the
        // sandbox accepts plain http bridges only on loopback).
        var listening = urls.FirstOrDefault() ?? "http://127.0.0.1:7080";
        var publicUrl = Read("public-url") ?? listening.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)
            .Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal);
        var prefix = Read("client-prefix") ?? "sample-";
        if (prefix.Length > 30 || prefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new InvalidOperationException("client-prefix: at most 30 letters, digits, '-', '_' or '.'.");
        }

        return new SamplePartnerSettings(new Uri(platform.TrimEnd('/') + "/"), new Uri(publicUrl.TrimEnd('/') + "/"), prefix,
            Read("cm-id") ?? "sbx", Read("state-file"));
    }
}
