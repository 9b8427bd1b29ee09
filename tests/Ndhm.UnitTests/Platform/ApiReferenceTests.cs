using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Ndhm.Triggers.OpenApi;
using Ndhm.Triggers.Platform;
using Ndhm.Triggers.Sandbox;

namespace Ndhm.UnitTests.Platform;

public sealed class ApiReferenceTests
{
    [Fact]
    public void ScalarsAssets_ComeFromThePackage_AndDecompressToTheirGzipForm()
    {
        Assert.Equal("2.19.0", ApiReferenceAssets.ScalarVersion);
        foreach (var asset in ApiReferenceAssets.All.Values)
        {
            using var inflate = new GZipStream(new MemoryStream(asset.Gzip), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            inflate.CopyTo(plain);
            Assert.Equal(asset.Plain, plain.ToArray());
        }

        Assert.True(ApiReferenceAssets.All["scalar.js"].Plain.Length > 1_000_000, "scalar.js is Scalar's full standalone bundle");
        Assert.Contains("export const initialize", Encoding.UTF8.GetString(ApiReferenceAssets.All["scalar.aspnetcore.js"].Plain));
    }

    [Fact]
    public void ThePage_LoadsEveryScriptFromThisOrigin_AndHasNoInlineScript()
    {
        var html = Encoding.UTF8.GetString(ApiReferenceAssets.Page("api").Plain);

        var scripts = Regex.Matches(html, "<script([^>]*)>(.*?)</script>", RegexOptions.Singleline);
        Assert.Equal(2, scripts.Count);
        Assert.All(scripts, s => Assert.Equal("", s.Groups[2].Value.Trim()));
        var sources = Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(sources, src => Assert.StartsWith("/api/", src));
        Assert.Contains($"/api/docs/scalar.js?v={ApiReferenceAssets.All["scalar.js"].Version}", sources);
        Assert.DoesNotContain("{{", html);
        Assert.Contains("data-openapi-path=\"api/openapi.json\"", html);
    }

    [Fact]
    public void TheCsp_AllowsScriptsAndRequestsOnlyFromThisOrigin()
    {
        var directives = ApiReferenceResult.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ') + 1)..]);

        Assert.Equal("'none'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain(directives.Values, v => v.Contains("http", StringComparison.Ordinal) || v.Contains("unsafe-eval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAsset_IsSentGzippedWithItsTypeAndCaching_And304WhenTheClientHasIt()
    {
        var asset = ApiReferenceAssets.All["scalar.js"];
        var first = await ExecuteAsync(new ApiReferenceResult(asset, ApiReferenceResult.AssetCaching), ("Accept-Encoding", "gzip, br"));
        var again = await ExecuteAsync(new ApiReferenceResult(asset, ApiReferenceResult.AssetCaching), ("If-None-Match", asset.ETag));

        Assert.Equal(200, first.Response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", first.Response.ContentType);
        Assert.Equal("gzip", first.Response.Headers.ContentEncoding.ToString());
        Assert.Equal(asset.Gzip, first.Body);
        Assert.Equal("public, max-age=86400", first.Response.Headers.CacheControl.ToString());
        Assert.Equal("nosniff", first.Response.Headers.XContentTypeOptions.ToString());
        Assert.Equal(304, again.Response.StatusCode);
        Assert.Empty(again.Body);
    }

    [Fact]
    public async Task AnAsset_ForAClientWithoutGzip_IsSentPlain()
    {
        var asset = ApiReferenceAssets.All["favicon.svg"];

        var result = await ExecuteAsync(new ApiReferenceResult(asset, ApiReferenceResult.AssetCaching));

        Assert.Equal("image/svg+xml", result.Response.ContentType);
        Assert.Equal("", result.Response.Headers.ContentEncoding.ToString());
        Assert.StartsWith("<svg", Encoding.UTF8.GetString(result.Body));
    }

    [Theory]
    [InlineData("Sandbox", true)]
    [InlineData("Production", false)]
    [InlineData("Dev", false)]
    public void TheOpenApiEndpoint_ListsSandboxPathsOnlyInTheSandbox(string environment, bool listed)
    {
        var function = new GetOpenApiDocument(new SandboxEnvironment(environment == SandboxEnvironment.Name));

        var document = ((ContentResult)function.Run(new DefaultHttpContext().Request)).Content!;

        Assert.Equal(listed, document.Contains("\"/api/sandbox/tokens\"", StringComparison.Ordinal));
        Assert.Equal(listed, document.Contains("/api/sandbox/bridges/", StringComparison.Ordinal));
        Assert.Contains("\"/api/health\"", document);
    }

    private static async Task<(HttpResponse Response, byte[] Body)> ExecuteAsync(IActionResult result, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        return (context.Response, body.ToArray());
    }
}
