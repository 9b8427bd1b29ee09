using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>The interactive API reference as a browser gets it from the running host, and the document it renders.</summary>
[Collection(SharedSandboxHost.Name)]
public sealed class ApiReferenceTests(SandboxHostFixture sandbox)
{
    [Fact]
    public async Task ThePage_AndEveryFileItLoads_AreServedByThisHost_WithTheirTypesAndAStrictCsp()
    {
        using var page = await sandbox.Client.GetAsync("api/docs");

        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("connect-src 'self';", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(page.Headers.CacheControl?.NoCache, "the page is revalidated on every visit");

        var links = Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.All(links, link => Assert.StartsWith("/api/", link)); // nothing from another origin
        var files = links.Where(l => l.StartsWith("/api/docs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, files.Count); // scalar.js, the starter module, the icon
        foreach (var file in files.Append("/api/docs/scalar.aspnetcore.js"))
        {
            using var response = await sandbox.Client.GetAsync(file.TrimStart('/'));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
            Assert.Equal(file.Contains(".svg") ? "image/svg+xml" : "text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.True(body.Length > 100, $"{file} is {body.Length} bytes");
            Assert.NotNull(response.Headers.ETag);
            Assert.Equal(86400, (int)response.Headers.CacheControl!.MaxAge!.Value.TotalSeconds);
        }
    }

    [Fact]
    public async Task AFileTheBrowserHas_IsAnswered304_AndScalarIsSentGzipped()
    {
        using var first = new HttpRequestMessage(HttpMethod.Get, "api/docs/scalar.js");
        first.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await sandbox.Client.SendAsync(first);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, "api/docs/scalar.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var cached = await sandbox.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal(0x1f, bytes[0]); // the gzip magic number: sent compressed, not the 1.4 MB plain file
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task AnUnknownFile_Is404()
    {
        using var response = await sandbox.Client.GetAsync("api/docs/unknown.js");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task EveryOperationTheServedDocumentLists_HasASummarySchemasAndAnExample()
    {
        var document = JsonDocument.Parse(await sandbox.Client.GetStringAsync("api/openapi.json")).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Name: $"{m.Name} {p.Name}", Operation: m.Value))).ToList();
        Assert.True(operations.Count > 50, $"{operations.Count} operations");
        foreach (var (name, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), name);
            if (operation.TryGetProperty("requestBody", out var body))
            {
                // JSON bodies carry a schema and an example; raw uploads (a file as the body) a schema per media type.
                var mediaTypes = body.GetProperty("content").EnumerateObject().ToList();
                Assert.NotEmpty(mediaTypes);
                foreach (var media in mediaTypes)
                {
                    Assert.True(media.Value.TryGetProperty("schema", out _), $"{name}: {media.Name} request schema");
                    if (media.Name == "application/json")
                    {
                        Assert.True(media.Value.TryGetProperty("example", out _), $"{name}: request example");
                    }
                }
            }

            var success = operation.GetProperty("responses").EnumerateObject().Single(r => r.Name.StartsWith('2'));
            if (!success.Value.TryGetProperty("content", out var content))
            {
                Assert.True(success.Name is "202" or "204", $"{name}: {success.Name} without a body");
                Assert.NotEqual("Success", success.Value.GetProperty("description").GetString());
                continue;
            }

            var response = content.EnumerateObject().Single();
            Assert.True(response.Value.TryGetProperty("schema", out var schema), $"{name}: response schema");
            var binary = schema.TryGetProperty("format", out var format) && format.GetString() == "binary";
            Assert.True(binary || response.Value.TryGetProperty("example", out _), $"{name}: response example");
        }
    }
}
