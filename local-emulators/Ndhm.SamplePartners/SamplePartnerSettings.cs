namespace Ndhm.SamplePartners;

/// <summary>
/// Where the platform is and how the sample partners present themselves to it. Command line or environment
/// (<c>--platform http://localhost:7071</c> or <c>SamplePartners__Platform</c>, ...).
/// </summary>
/// <param name="BrokenBridge">
/// A deliberately broken bridge, for trying <c>ndhm conformance</c> on a partner that gets something wrong: the HIPs'
/// <c>omit-on-discover</c> (discovery requests are never answered), <c>malformed-push</c> (data pushes leave out each
/// entry's checksum, which ABDM's DataNotification requires) or <c>malformed-add-contexts</c> (the desk's HIP-initiated
/// linking sends add-contexts without each care context's display, which ABDM's schema requires), or the HIUs' <c>refuse-push</c> (their data-push URL
/// answers every push 400). Null: the partners behave.
/// </param>
/// <param name="LinkAboveBytes">
/// The HIPs send an entry whose encrypted content is longer than this as a link (ABDM <c>EntryLink</c>) served from
/// their bridge (<c>GET /{hip}/entries/{token}</c>); <c>--link-above-bytes 0</c> links every entry. Null: the
/// library's default, ABDM's 5 MB.
/// </param>
public sealed record SamplePartnerSettings(Uri Platform, Uri PublicBaseUrl, string ClientPrefix, string CmId, string? StateFile, string? BrokenBridge = null,
    long? LinkAboveBytes = null)
{
    public static readonly string[] BrokenBridges = ["omit-on-discover", "malformed-push", "refuse-push", "malformed-add-contexts"];

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

        var broken = Read("broken-bridge");
        if (broken is not null && !BrokenBridges.Contains(broken))
        {
            throw new InvalidOperationException($"broken-bridge: one of {string.Join(", ", BrokenBridges)}.");
        }

        long? linkAbove = null;
        if (Read("link-above-bytes") is { } linkAboveText)
        {
            linkAbove = long.TryParse(linkAboveText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
                ? bytes
                : throw new InvalidOperationException("link-above-bytes: a whole number of bytes (0 links every entry).");
        }

        return new SamplePartnerSettings(new Uri(platform.TrimEnd('/') + "/"), new Uri(publicUrl.TrimEnd('/') + "/"), prefix,
            Read("cm-id") ?? "sbx", Read("state-file"), broken, linkAbove);
    }
}
