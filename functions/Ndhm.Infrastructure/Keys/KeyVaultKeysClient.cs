using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.Rest;

namespace Ndhm.Infrastructure.Keys;

/// <summary>
/// The Key Vault keys REST API (api-version 7.5) over Azure.Core's pipeline: retries, timeouts and bearer
/// authentication come from Azure.Core; this class only shapes requests and reads responses. The same code
/// talks to Azure Key Vault and to the sandbox's LocalKeyVault. Failures surface as
/// <see cref="RequestFailedException"/> (HTTP errors, with Key Vault's error code) or transport exceptions;
/// the adapters map them to domain errors.
/// </summary>
public sealed class KeyVaultKeysClient
{
    public const string Scope = "https://vault.azure.net/.default";
    private readonly Uri _vaultUri;
    private readonly HttpPipeline _pipeline;
    private readonly string _apiVersion;

    public KeyVaultKeysClient(Uri vaultUri, HttpPipeline pipeline, string apiVersion = "7.5")
    {
        _vaultUri = vaultUri;
        _pipeline = pipeline;
        _apiVersion = apiVersion;
    }

    /// <summary>
    /// Builds the pipeline: a static bearer token when <see cref="KeyVaultOptions.LocalToken"/> is set (the
    /// sandbox speaks plain HTTP, which Azure's bearer policy refuses), otherwise <paramref name="credential"/>
    /// or a <see cref="DefaultAzureCredential"/> for the managed identity.
    /// </summary>
    public static KeyVaultKeysClient Create(KeyVaultOptions options, TokenCredential? credential = null, HttpPipelineTransport? transport = null)
    {
        var clientOptions = new KeyVaultClientOptions();
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        if (transport is not null) clientOptions.Transport = transport;

        HttpPipelinePolicy authentication = options.LocalToken is { } token
            ? new StaticBearerTokenPolicy(token)
            : new BearerTokenAuthenticationPolicy(
                credential ?? AppCredentials.For(options.ManagedIdentityClientId),
                Scope);
        var pipeline = HttpPipelineBuilder.Build(clientOptions, [], [authentication], new ResponseClassifier());
        return new KeyVaultKeysClient(options.VaultUri, pipeline, options.ApiVersion);
    }

    /// <summary>The newest version when <paramref name="version"/> is null.</summary>
    public async Task<KeyVaultKey> GetKeyAsync(string name, string? version, CancellationToken ct)
    {
        using var json = await SendAsync(RequestMethod.Get, Path(name, version), null, ct);
        return KeyVaultKey.Parse(json.RootElement);
    }

    /// <summary>Every version's id and attributes (no key material), following <c>nextLink</c> pages.</summary>
    public async Task<IReadOnlyList<KeyVaultKeyItem>> GetKeyVersionsAsync(string name, CancellationToken ct)
    {
        var items = new List<KeyVaultKeyItem>();
        Uri? next = null;
        do
        {
            using var json = next is null
                ? await SendAsync(RequestMethod.Get, Path(name, "versions"), null, ct)
                : await SendAsync(RequestMethod.Get, next, null, ct);
            foreach (var item in json.RootElement.GetProperty("value").EnumerateArray())
                items.Add(new KeyVaultKeyItem(item.GetProperty("kid").GetString()!, KeyVaultKeyAttributes.Parse(item)));
            next = json.RootElement.TryGetProperty("nextLink", out var link) && link.GetString() is { Length: > 0 } nextLink
                ? new Uri(nextLink)
                : null;
            // The bearer token must never follow a link to another host.
            if (next is not null && !string.Equals(next.Authority, _vaultUri.Authority, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("Key Vault returned a nextLink to another host.");
        }
        while (next is not null);
        return items;
    }

    /// <summary>Creates a new key, or a new version of an existing one (rotation).</summary>
    public async Task<KeyVaultKey> CreateKeyAsync(string name, string kty, int? keySize = null, string? curve = null,
        IReadOnlyList<string>? keyOps = null, CancellationToken ct = default)
    {
        var body = new JsonObject { ["kty"] = kty };
        if (keySize is { } size) body["key_size"] = size;
        if (curve is not null) body["crv"] = curve;
        if (keyOps is not null) body["key_ops"] = new JsonArray(keyOps.Select(op => (JsonNode)JsonValue.Create(op)!).ToArray());
        using var json = await SendAsync(RequestMethod.Post, Path(name, "create"), body, ct);
        return KeyVaultKey.Parse(json.RootElement);
    }

    /// <summary>Signs a digest. ES256 signatures are raw R||S.</summary>
    public Task<KeyOperationResult> SignAsync(string name, string version, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken ct) =>
        OperateAsync(name, version, "sign", new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(digest.Span) }, ct);

    public async Task<bool> VerifyAsync(string name, string version, string algorithm, ReadOnlyMemory<byte> digest, ReadOnlyMemory<byte> signature,
        CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["alg"] = algorithm,
            ["digest"] = Base64Url.EncodeToString(digest.Span),
            ["value"] = Base64Url.EncodeToString(signature.Span),
        };
        using var json = await SendAsync(RequestMethod.Post, Path(name, version, "verify"), body, ct);
        return json.RootElement.GetProperty("value").GetBoolean();
    }

    public Task<KeyOperationResult> WrapKeyAsync(string name, string version, string algorithm, ReadOnlyMemory<byte> key, CancellationToken ct) =>
        OperateAsync(name, version, "wrapkey", new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(key.Span) }, ct);

    public Task<KeyOperationResult> UnwrapKeyAsync(string name, string version, string algorithm, ReadOnlyMemory<byte> wrapped, CancellationToken ct) =>
        OperateAsync(name, version, "unwrapkey", new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(wrapped.Span) }, ct);

    /// <summary>Encrypts with the public key in the vault (RSA-OAEP is OAEP with SHA-1, RSA-OAEP-256 with SHA-256).</summary>
    public Task<KeyOperationResult> EncryptAsync(string name, string version, string algorithm, ReadOnlyMemory<byte> plaintext, CancellationToken ct) =>
        OperateAsync(name, version, "encrypt", new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(plaintext.Span) }, ct);

    /// <summary>Decrypts in the vault: the private key never leaves it. A ciphertext that does not decrypt is a 400.</summary>
    public Task<KeyOperationResult> DecryptAsync(string name, string version, string algorithm, ReadOnlyMemory<byte> ciphertext, CancellationToken ct) =>
        OperateAsync(name, version, "decrypt", new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(ciphertext.Span) }, ct);

    private async Task<KeyOperationResult> OperateAsync(string name, string version, string operation, JsonObject body, CancellationToken ct)
    {
        using var json = await SendAsync(RequestMethod.Post, Path(name, version, operation), body, ct);
        return new KeyOperationResult(json.RootElement.GetProperty("kid").GetString()!,
            Base64Url.DecodeFromChars(json.RootElement.GetProperty("value").GetString()));
    }

    private Uri Path(string name, params string?[] segments)
    {
        var builder = new RequestUriBuilder();
        builder.Reset(_vaultUri);
        builder.AppendPath("/keys/", escape: false);
        builder.AppendPath(name, escape: true);
        foreach (var segment in segments)
        {
            if (segment is null) continue;
            builder.AppendPath("/", escape: false);
            builder.AppendPath(segment, escape: true);
        }
        builder.AppendQuery("api-version", _apiVersion);
        return builder.ToUri();
    }

    private async Task<JsonDocument> SendAsync(RequestMethod method, Uri uri, JsonObject? body, CancellationToken ct)
    {
        using var message = await JsonRestRequests.SendAsync(_pipeline, method, uri, body, ct);
        return JsonDocument.Parse(message.Response.Content.ToMemory());
    }

    private sealed class KeyVaultClientOptions : ClientOptions;

    /// <summary>Sandbox authentication: the configured token on every attempt.</summary>
    private sealed class StaticBearerTokenPolicy(string token) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("Authorization", "Bearer " + token);
    }
}

/// <summary>A key version as Key Vault returns it; the JWK members stay base64url, as on the wire.</summary>
public sealed record KeyVaultKey(
    string KeyId, string Kty, string? Crv, string? X, string? Y, string? N, string? E, IReadOnlyList<string> KeyOps, KeyVaultKeyAttributes Attributes)
{
    public string Name => KeyVaultKeyId.Parse(KeyId).Name;
    public string Version => KeyVaultKeyId.Parse(KeyId).Version;

    internal static KeyVaultKey Parse(JsonElement bundle)
    {
        var key = bundle.GetProperty("key");
        string? Text(string name) => key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var ops = key.TryGetProperty("key_ops", out var opsElement) && opsElement.ValueKind == JsonValueKind.Array
            ? opsElement.EnumerateArray().Select(o => o.GetString() ?? "").ToList()
            : [];
        return new KeyVaultKey(Text("kid")!, Text("kty")!, Text("crv"), Text("x"), Text("y"), Text("n"), Text("e"), ops,
            KeyVaultKeyAttributes.Parse(bundle));
    }
}

public sealed record KeyVaultKeyItem(string KeyId, KeyVaultKeyAttributes Attributes)
{
    public string Version => KeyVaultKeyId.Parse(KeyId).Version;
}

public sealed record KeyVaultKeyAttributes(bool Enabled, DateTimeOffset? Created, DateTimeOffset? NotBefore, DateTimeOffset? Expires)
{
    public bool IsUsableAt(DateTimeOffset now) => Enabled && (NotBefore is null || NotBefore <= now) && (Expires is null || now < Expires);

    internal static KeyVaultKeyAttributes Parse(JsonElement parent)
    {
        if (!parent.TryGetProperty("attributes", out var attributes)) return new KeyVaultKeyAttributes(true, null, null, null);
        DateTimeOffset? Time(string name) => attributes.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeSeconds(value.GetInt64())
            : null;
        var enabled = !attributes.TryGetProperty("enabled", out var e) || e.ValueKind != JsonValueKind.False;
        return new KeyVaultKeyAttributes(enabled, Time("created"), Time("nbf"), Time("exp"));
    }
}

public sealed record KeyOperationResult(string KeyId, byte[] Value);

/// <summary>
/// A versioned key id, <c>https://{vault}/keys/{name}/{version}</c>. Only name and version are ever used to
/// call the vault: the host in a stored id is not trusted to receive our bearer token.
/// </summary>
public sealed record KeyVaultKeyId(string Name, string Version)
{
    public static KeyVaultKeyId Parse(string keyId) => TryParse(keyId, out var id) ? id : throw new FormatException("Not a versioned Key Vault key id.");

    public static bool TryParse(string? keyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyVaultKeyId? id)
    {
        id = null;
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var uri)) return false;
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments is not ["keys", { Length: > 0 } name, { Length: > 0 } version]) return false;
        id = new KeyVaultKeyId(Uri.UnescapeDataString(name), Uri.UnescapeDataString(version));
        return true;
    }
}
