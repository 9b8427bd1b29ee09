using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Triggers.OpenApi;

/// <summary>One file of the API reference page, kept gzip-compressed and plain, with its validator.</summary>
public sealed record ApiReferenceAsset(string Name, string ContentType, byte[] Plain, byte[] Gzip, string ETag)
{
    /// <summary>Short content hash: the page puts it in each asset's URL, so a new package version is a new URL.</summary>
    public string Version => ETag.Trim('"');
}

/// <summary>
/// The files behind <c>/api/docs</c>: Scalar's renderer (scalar.js), its ASP.NET Core starter module and icon, taken
/// from the embedded resources of the Scalar.AspNetCore package so that no CDN is involved at run time, plus the
/// page shell and the starter script of this platform (OpenApi/ApiReference). Loaded once per process.
/// </summary>
public static class ApiReferenceAssets
{
    public const string RoutePrefix = "docs";

    /// <summary>The functions host's route prefix (host.json <c>extensions.http.routePrefix</c>).</summary>
    public const string HostRoutePrefix = "api";

    private static readonly Lazy<IReadOnlyDictionary<string, ApiReferenceAsset>> Files = new(Load);

    /// <summary>The assets served under <c>/api/docs/{name}</c>.</summary>
    public static IReadOnlyDictionary<string, ApiReferenceAsset> All => Files.Value;

    /// <summary>The version of Scalar the page serves (the package's assembly version).</summary>
    public static string ScalarVersion { get; } =
        typeof(Scalar.AspNetCore.ScalarOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Scalar.AspNetCore.ScalarOptions).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static bool TryGet(string name, out ApiReferenceAsset asset) => All.TryGetValue(name, out asset!);

    /// <summary>The HTML page for a host whose functions are under <paramref name="routePrefix"/> (usually "api").</summary>
    public static ApiReferenceAsset Page(string routePrefix) => Pages.GetOrAdd(routePrefix, BuildPage);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiReferenceAsset> Pages = new(StringComparer.Ordinal);

    private static ApiReferenceAsset BuildPage(string routePrefix)
    {
        var root = "/" + (string.IsNullOrEmpty(routePrefix) ? "" : routePrefix + "/");
        var html = new StringBuilder(ReadText(OwnResource("index.html")))
            .Replace("{{base}}", root + RoutePrefix)
            .Replace("{{openapi}}", root + "openapi.json")
            .Replace("{{openapiRelative}}", root.TrimStart('/') + "openapi.json");
        foreach (var asset in All.Values)
        {
            html.Replace("{{" + asset.Name + "}}", asset.Version);
        }

        return Create("index.html", "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html.ToString()));
    }

    private static IReadOnlyDictionary<string, ApiReferenceAsset> Load()
    {
        var scalar = typeof(Scalar.AspNetCore.ScalarOptions).Assembly;
        var assets = new[]
        {
            FromGzip("scalar.js", "text/javascript; charset=utf-8", scalar, "ScalarStaticAssets.scalar.js"),
            FromGzip("scalar.aspnetcore.js", "text/javascript; charset=utf-8", scalar, "ScalarStaticAssets.scalar.aspnetcore.js"),
            FromGzip("favicon.svg", "image/svg+xml", scalar, "ScalarStaticAssets.favicon.svg"),
            Create("api-reference.js", "text/javascript; charset=utf-8", ReadBytes(OwnResource("api-reference.js"))),
        };
        return assets.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    private static ApiReferenceAsset FromGzip(string name, string contentType, Assembly assembly, string resource)
    {
        var gzip = ReadBytes(Open(assembly, resource));
        using var plain = new MemoryStream();
        using (var inflate = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress))
        {
            inflate.CopyTo(plain);
        }

        return new ApiReferenceAsset(name, contentType, plain.ToArray(), gzip, ETagOf(plain.ToArray()));
    }

    private static ApiReferenceAsset Create(string name, string contentType, byte[] plain)
    {
        using var gzip = new MemoryStream();
        using (var deflate = new GZipStream(gzip, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(plain);
        }

        return new ApiReferenceAsset(name, contentType, plain, gzip.ToArray(), ETagOf(plain));
    }

    private static string ETagOf(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";

    private static Stream OwnResource(string name) => Open(typeof(ApiReferenceAssets).Assembly, "ApiReference/" + name);

    // A missing resource means the package changed its layout: fail loudly at first use (and in the tests), never serve a blank page.
    private static Stream Open(Assembly assembly, string resource) =>
        assembly.GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing from {assembly.GetName().Name}.");

    private static byte[] ReadBytes(Stream stream)
    {
        using (stream)
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private static string ReadText(Stream stream) => Encoding.UTF8.GetString(ReadBytes(stream));
}
