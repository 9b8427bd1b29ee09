using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;
using Ndhm.Infrastructure.Keys;

namespace Ndhm.UnitTests.Keys;

/// <summary>The Key Vault signing adapter's caching and failure mapping, against a scripted vault (no network).</summary>
public sealed class KeyVaultSigningKeysTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly ScriptedVault _vault = new();
    private readonly KeyVaultOptions _options = new()
    {
        VaultUri = new Uri("https://unit.vault.azure.net/"),
        SigningKeyName = "ndhm-signing",
        WrappingKeyName = "ndhm-wrapping",
        LocalToken = "unit",
        MaxRetries = 0,
    };

    public void Dispose() => _vault.Dispose();

    private KeyVaultSigningKeys Keys(KeyVaultOptions? options = null)
    {
        var o = options ?? _options;
        return new KeyVaultSigningKeys(KeyVaultKeysClient.Create(o, transport: new HttpClientTransport(new HttpClient(_vault))), o, _time);
    }

    [Fact]
    public async Task GivenTwoVersions_ThenTheCurrentIsFirstAndBothArePublishedWithEs256()
    {
        var first = _vault.AddVersion();
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = _vault.AddVersion();

        var keys = Keys();
        var published = await keys.GetPublicKeysAsync(false, CancellationToken.None);

        Assert.Equal([second, first], published.Select(k => k.Kid).ToArray());
        Assert.All(published, k => Assert.Equal(("EC", "ES256", "P-256"), (k.Kty, k.Alg, k.Crv)));
        Assert.Equal(new SigningKey(second, "ES256"), await keys.GetCurrentAsync(CancellationToken.None));
        Assert.All(_vault.Requests, r => Assert.Equal("Bearer unit", r.Authorization));
        Assert.All(_vault.Requests, r => Assert.Contains("api-version=7.5", r.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenManyVersions_ThenOnlyTheConfiguredNumberAndOnlyUsableOnesArePublished()
    {
        _vault.AddVersion();
        var disabled = _vault.AddVersion(enabled: false);
        var previous = _vault.AddVersion();
        var current = _vault.AddVersion();

        var published = await Keys().GetPublicKeysAsync(false, CancellationToken.None);
        Assert.Equal([current, previous], published.Select(k => k.Kid).ToArray());
        Assert.DoesNotContain(disabled, published.Select(k => k.Kid));

        var three = await Keys(_options with { PublishedKeyVersions = 3 }).GetPublicKeysAsync(false, CancellationToken.None);
        Assert.Equal(3, three.Count);
        Assert.DoesNotContain(disabled, three.Select(k => k.Kid));
    }

    [Fact]
    public async Task GivenACachedSnapshot_ThenTheVaultIsAskedAgainOnlyAfterTheCacheDuration()
    {
        _vault.AddVersion();
        var keys = Keys();
        await keys.GetPublicKeysAsync(false, CancellationToken.None);
        var afterFirst = _vault.Requests.Count;

        await keys.GetCurrentAsync(CancellationToken.None);
        await keys.GetPublicKeysAsync(false, CancellationToken.None);
        Assert.Equal(afterFirst, _vault.Requests.Count);

        _time.Advance(_options.KeyCacheDuration);
        await keys.GetPublicKeysAsync(false, CancellationToken.None);
        Assert.True(_vault.Requests.Count > afterFirst);
    }

    [Fact]
    public async Task GivenRefreshRequests_ThenTheyReachTheVaultAtMostOncePerMinimumInterval()
    {
        _vault.AddVersion();
        var keys = Keys();
        await keys.GetPublicKeysAsync(false, CancellationToken.None);
        var count = _vault.Requests.Count;

        await keys.GetPublicKeysAsync(true, CancellationToken.None);
        Assert.Equal(count, _vault.Requests.Count);

        var rotated = _vault.AddVersion();
        _time.Advance(_options.MinRefreshInterval);
        var refreshed = await keys.GetPublicKeysAsync(true, CancellationToken.None);
        Assert.Equal(rotated, refreshed[0].Kid);
    }

    [Fact]
    public async Task GivenTheVaultIsDownAtStart_ThenCallersGetKeysUnavailable()
    {
        _vault.AddVersion();
        _vault.Down = true;
        var error = await Assert.ThrowsAsync<DomainException>(() => Keys().GetCurrentAsync(CancellationToken.None));
        Assert.Equal((ErrorKind.DependencyUnavailable, KeyErrorCodes.KeysUnavailable), (error.Kind, error.Code));
        Assert.Equal("Key Vault answered 503 ServiceUnavailable", error.Detail);
    }

    [Fact]
    public async Task GivenTheVaultGoesDown_ThenCachedKeysKeepServingAndTheVaultIsNotHammered()
    {
        var kid = _vault.AddVersion();
        var keys = Keys();
        await keys.GetPublicKeysAsync(false, CancellationToken.None);
        _vault.Down = true;
        _time.Advance(_options.KeyCacheDuration);

        Assert.Equal(kid, (await keys.GetPublicKeysAsync(false, CancellationToken.None))[0].Kid);
        var count = _vault.Requests.Count;
        Assert.Equal(kid, (await keys.GetPublicKeysAsync(true, CancellationToken.None))[0].Kid);
        Assert.Equal(count, _vault.Requests.Count);

        _time.Advance(_options.MaxStaleness);
        await Assert.ThrowsAsync<DomainException>(() => keys.GetPublicKeysAsync(false, CancellationToken.None));
    }

    [Fact]
    public async Task GivenTheCallerCancels_ThenCancellationIsNotReportedAsAnOutage()
    {
        _vault.AddVersion();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Keys().GetCurrentAsync(cancelled.Token));
    }

    [Fact]
    public async Task GivenAKeyOfAnotherName_WhenSigning_ThenItIsRefusedBeforeCallingTheVault()
    {
        var keys = Keys();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            keys.SignAsync(new SigningKey("https://unit.vault.azure.net/keys/other/abc", "ES256"), new byte[32], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            keys.SignAsync(new SigningKey("https://unit.vault.azure.net/keys/ndhm-signing/abc", "ES256"), new byte[20], CancellationToken.None));
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task GivenADigest_WhenSigned_ThenTheVaultsSignatureIsReturnedForThatVersion()
    {
        var kid = _vault.AddVersion();
        var keys = Keys();
        var digest = SHA256.HashData("x"u8);
        var signature = await keys.SignAsync(new SigningKey(kid, "ES256"), digest, CancellationToken.None);
        Assert.Equal(kid, signature.KeyId);
        Assert.True(_vault.Verify(kid, digest, signature.Signature));
        Assert.EndsWith("/sign?api-version=7.5", _vault.Requests[^1].Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenSettingsFromEnvironmentOrLocalSettings_ThenBothSpellingsAreRead()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyVault:Uri"] = "https://v.vault.azure.net/",
            ["KeyVault__SigningKeyName"] = "s",
            ["KeyVault:WrappingKeyName"] = "w",
            ["KeyVault__PublishedKeyVersions"] = "3",
            ["KeyVault:KeyCacheSeconds"] = "0",
        }).Build();
        var options = KeyVaultOptions.FromConfiguration(configuration);
        Assert.Equal(("https://v.vault.azure.net/", "s", "w", 3, TimeSpan.Zero, null),
            (options.VaultUri.ToString(), options.SigningKeyName, options.WrappingKeyName, options.PublishedKeyVersions, options.KeyCacheDuration, options.LocalToken));
        Assert.Throws<InvalidOperationException>(() => KeyVaultOptions.FromConfiguration(new ConfigurationBuilder().Build()));
    }

    /// <summary>Answers the Key Vault routes for one EC signing key from memory.</summary>
    private sealed class ScriptedVault : HttpMessageHandler
    {
        private const string Base = "https://unit.vault.azure.net/keys/ndhm-signing/";
        private readonly List<(string Version, ECDsa Key, bool Enabled)> _versions = [];
        private long _created = 1_795_000_000;

        public bool Down { get; set; }
        public List<(string Uri, string? Authorization)> Requests { get; } = [];

        public string AddVersion(bool enabled = true)
        {
            var version = Guid.NewGuid().ToString("N");
            _versions.Add((version, ECDsa.Create(ECCurve.NamedCurves.nistP256), enabled));
            return Base + version;
        }

        public bool Verify(string kid, byte[] digest, byte[] signature) =>
            _versions.Single(v => Base + v.Version == kid).Key.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Requests.Add((request.RequestUri!.ToString(), request.Headers.Authorization?.ToString()));
            if (Down) return Respond(HttpStatusCode.ServiceUnavailable, Error("ServiceUnavailable"));

            var path = request.RequestUri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (path is ["keys", "ndhm-signing"]) return Respond(HttpStatusCode.OK, Bundle(_versions[^1]));
            if (path is ["keys", "ndhm-signing", "versions"])
                return Respond(HttpStatusCode.OK, new JsonObject
                {
                    ["value"] = new JsonArray(_versions.Select((v, i) => (JsonNode)new JsonObject
                    {
                        ["kid"] = Base + v.Version,
                        ["attributes"] = new JsonObject { ["enabled"] = v.Enabled, ["created"] = _created + i },
                    }).ToArray()),
                });
            if (path is ["keys", "ndhm-signing", var version] && _versions.FindIndex(v => v.Version == version) is >= 0 and var index)
                return Respond(HttpStatusCode.OK, Bundle(_versions[index]));
            if (path is ["keys", "ndhm-signing", var signVersion, "sign"])
            {
                var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
                var key = _versions.Single(v => v.Version == signVersion).Key;
                var signature = key.SignHash(Base64Url.DecodeFromChars((string)body["value"]!), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                return Respond(HttpStatusCode.OK, new JsonObject { ["kid"] = Base + signVersion, ["value"] = Base64Url.EncodeToString(signature) });
            }
            return Respond(HttpStatusCode.NotFound, Error("KeyNotFound"));
        }

        private static JsonObject Bundle((string Version, ECDsa Key, bool Enabled) v)
        {
            var q = v.Key.ExportParameters(false).Q;
            return new JsonObject
            {
                ["key"] = new JsonObject
                {
                    ["kid"] = Base + v.Version, ["kty"] = "EC", ["crv"] = "P-256",
                    ["x"] = Base64Url.EncodeToString(q.X), ["y"] = Base64Url.EncodeToString(q.Y),
                    ["key_ops"] = new JsonArray("sign", "verify"),
                },
                ["attributes"] = new JsonObject { ["enabled"] = v.Enabled },
            };
        }

        private static JsonObject Error(string code) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = code } };

        private static HttpResponseMessage Respond(HttpStatusCode status, JsonObject body) =>
            new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

        protected override void Dispose(bool disposing)
        {
            if (disposing) foreach (var v in _versions) v.Key.Dispose();
            base.Dispose(disposing);
        }
    }
}
