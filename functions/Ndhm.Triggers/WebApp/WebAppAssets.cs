using System.IO.Compression;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ndhm.Triggers.WebApp;

/// <summary>One file of the patient web app, kept plain, gzip- and brotli-compressed, with its validator.</summary>
public sealed record WebAppAsset(string Path, string ContentType, byte[] Plain, byte[] Gzip, byte[] Brotli, string ETag);

/// <summary>
/// The patient web app (PHR): plain ES modules, one stylesheet and the language files under WebApp/Site, embedded in
/// this assembly so the function app serves them itself (no separate server, no CDN). Every asset is served under
/// <c>/api/app/assets/{version}/...</c> where the version is a hash of the whole site's content: a changed file is a
/// new URL, so assets are cached for a year as immutable, while the page (<c>/api/app</c>) is revalidated each time.
/// The languages offered are the files under Site/i18n (each names itself in <c>_language</c>): adding a language
/// is adding a file. Everything is compressed once per process.
/// </summary>
public static partial class WebAppAssets
{
    public const string RoutePrefix = "app";
    public const string AssetsRoute = RoutePrefix + "/assets";
    public const string HostRoutePrefix = "api";
    private const string ResourcePrefix = "WebApp/";

    private static readonly Lazy<Site> Loaded = new(Load);

    /// <summary>The content hash of the whole site: the path segment every asset URL carries.</summary>
    public static string Version => Loaded.Value.Version;

    /// <summary>The languages the app offers, from the resource files (code and own name).</summary>
    public static IReadOnlyList<WebAppLanguage> Languages => Loaded.Value.Languages;

    public static IReadOnlyDictionary<string, WebAppAsset> All => Loaded.Value.Assets;

    public static WebAppAsset Page => Loaded.Value.Page;

    /// <summary>The analytics dashboard's page (Site/analytics/index.html): its own bundle, never preloaded by the patient's page.</summary>
    public static WebAppAsset AnalyticsPage => Loaded.Value.AnalyticsPage;

    /// <summary>The dashboard's files live under this folder of the site; the patient's page neither names nor preloads them.</summary>
    public const string AnalyticsFolder = "analytics/";

    private const string AnalyticsPagePath = AnalyticsFolder + "index.html";

    public static bool TryGet(string version, string path, out WebAppAsset asset)
    {
        asset = null!;
        return string.Equals(version, Version, StringComparison.Ordinal) && All.TryGetValue(path, out asset!);
    }

    private sealed record Site(string Version, IReadOnlyDictionary<string, WebAppAsset> Assets, WebAppAsset Page, WebAppAsset AnalyticsPage,
        IReadOnlyList<WebAppLanguage> Languages);

    private static Site Load()
    {
        var assembly = typeof(WebAppAssets).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToDictionary(n => n[ResourcePrefix.Length..].Replace('\\', '/'), n => ReadBytes(assembly, n), StringComparer.Ordinal);
        if (!files.ContainsKey("index.html") || !files.ContainsKey(AnalyticsPagePath))
            throw new InvalidOperationException("The web app's index.html or analytics/index.html is missing from the embedded resources.");

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, content) in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            sha.AppendData(content);
        }

        var version = Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
        var languages = files
            .Where(f => f.Key.StartsWith("i18n/", StringComparison.Ordinal) && f.Key.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => new WebAppLanguage(System.IO.Path.GetFileNameWithoutExtension(f.Key), LanguageName(f.Key, f.Value)))
            .OrderBy(l => l.Code == "en" ? 0 : 1).ThenBy(l => l.Code, StringComparer.Ordinal)
            .ToList();
        var assets = files.Where(f => f.Key != "index.html" && f.Key != AnalyticsPagePath)
            .ToDictionary(f => f.Key, f => Create(f.Key, f.Value), StringComparer.Ordinal);

        var basePath = "/" + HostRoutePrefix + "/" + AssetsRoute + "/" + version;
        var languagesJson = WebUtility.HtmlEncode(JsonSerializer.Serialize(languages, JsonSerializerOptions.Web));
        // Every module the first screen needs is announced up front: on a slow link the browser fetches them in one round
        // trip instead of discovering each import only after its importer arrived. The patient's page announces only the
        // modules app.js imports statically (transitively); screens it loads with import() on demand are not preloaded.
        var modules = assets.Keys.Where(p => p.EndsWith(".js", StringComparison.Ordinal)).ToList();
        var page = Create("index.html", Render(files["index.html"], basePath, languagesJson,
            StaticImports(files, "app.js").Where(p => p != "app.js"), ""));
        // The dashboard: its modules and the shared ones it imports (the charting library is a classic script, named by the page).
        var analyticsPage = Create(AnalyticsPagePath, Render(files[AnalyticsPagePath], basePath, languagesJson,
            modules.Where(p => p is "dom.js" or "i18n.js" || (p.StartsWith(AnalyticsFolder, StringComparison.Ordinal)
                && p != AnalyticsFolder + "dashboard.js" && !p.StartsWith(AnalyticsFolder + "vendor/", StringComparison.Ordinal))),
            WebUtility.HtmlEncode(AnalyticsDashboardDefinitions.Json())));
        return new Site(version, assets, page, analyticsPage, languages);
    }

    /// <summary>The modules <paramref name="entry"/> imports with static <c>import ... from './x.js'</c> statements, transitively, in site order.</summary>
    public static IReadOnlyList<string> StaticImports(IReadOnlyDictionary<string, byte[]> files, string entry)
    {
        var found = new HashSet<string>(StringComparer.Ordinal) { entry };
        var pending = new Stack<string>([entry]);
        while (pending.TryPop(out var module))
        {
            var folder = module.Contains('/', StringComparison.Ordinal) ? module[..(module.LastIndexOf('/') + 1)] : "";
            foreach (System.Text.RegularExpressions.Match match in StaticImport().Matches(Encoding.UTF8.GetString(files[module])))
            {
                var path = new Uri(new Uri("https://site/" + folder), match.Groups["path"].Value).AbsolutePath.TrimStart('/');
                if (files.ContainsKey(path) && found.Add(path)) pending.Push(path);
            }
        }

        return files.Keys.Where(found.Contains).ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?:import|export)\b[^;'""]*?\bfrom\s*'(?<path>\.{1,2}/[^']+)'|^\s*import\s*'(?<path>\.{1,2}/[^']+)'",
        System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex StaticImport();

    private static byte[] Render(byte[] template, string basePath, string languagesJson, IEnumerable<string> preloadModules, string definitions)
    {
        var preloads = string.Join("\n", preloadModules.Select(p => $"  <link rel=\"modulepreload\" href=\"{basePath}/{p}\">"));
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(template)
            .Replace("{{assets}}", basePath, StringComparison.Ordinal)
            .Replace("{{modulepreload}}", preloads, StringComparison.Ordinal)
            .Replace("{{api}}", "/" + HostRoutePrefix, StringComparison.Ordinal)
            .Replace("{{languages}}", languagesJson, StringComparison.Ordinal)
            .Replace("{{definitions}}", definitions, StringComparison.Ordinal));
    }

    private static string LanguageName(string path, byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("_language", out var name) && name.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The web app's language file {path} does not name its language in \"_language\".");
    }

    private static WebAppAsset Create(string path, byte[] plain)
    {
        using var gzip = new MemoryStream();
        using (var deflate = new GZipStream(gzip, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(plain);
        }

        using var brotli = new MemoryStream();
        using (var encoder = new BrotliStream(brotli, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            encoder.Write(plain);
        }

        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(plain))[..16] + "\"";
        return new WebAppAsset(path, ContentTypeOf(path), plain, gzip.ToArray(), brotli.ToArray(), etag);
    }

    private static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".webmanifest" => "application/manifest+json",
        var other => throw new InvalidOperationException($"The web app has a file type the server does not serve: {other}."),
    };

    private static byte[] ReadBytes(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>A language of the web app: its code (the resource file's name) and its name in itself.</summary>
public sealed record WebAppLanguage(string Code, string Name);
