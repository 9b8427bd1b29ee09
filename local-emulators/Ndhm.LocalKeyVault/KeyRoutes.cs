using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ndhm.LocalKeyVault;

/// <summary>The Key Vault keys routes, with Key Vault's request and response shapes and error bodies.</summary>
public static partial class KeyRoutes
{
    public static readonly IReadOnlyList<string> SigningOps = ["sign", "verify"];
    public static readonly IReadOnlyList<string> AllRsaOps = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
    public static readonly IReadOnlyList<string> EncryptionOps = ["encrypt", "decrypt"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/keys/{name}/versions", (string name, HttpContext http, KeyStore store) =>
            store.Versions(name) is { } versions
                ? Json(new JsonObject
                {
                    ["value"] = new JsonArray(versions.Select(v => (JsonNode)v.ToItem(BaseUri(http), name)).ToArray()),
                    ["nextLink"] = null,
                })
                : KeyNotFound(name));

        app.MapGet("/keys/{name}", (string name, HttpContext http, KeyStore store) => GetKey(name, null, http, store));
        app.MapGet("/keys/{name}/{version}", (string name, string version, HttpContext http, KeyStore store) => GetKey(name, version, http, store));

        app.MapPost("/keys/{name}/create", async (string name, HttpContext http, KeyStore store) =>
        {
            if (!KeyName().IsMatch(name)) return BadParameter("The key name must be 1-127 letters, digits and dashes.");
            if (await ReadBody(http) is not { } body) return BadParameter("The request body is not valid JSON.");
            var kty = Text(body, "kty");
            var keySize = body.TryGetProperty("key_size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt32() : (int?)null;
            var crv = Text(body, "crv");
            if (kty is not ("EC" or "RSA")) return BadParameter("kty must be EC or RSA (HSM keys are not available locally).");
            if (kty == "EC" && crv is not (null or "P-256")) return BadParameter("Only the P-256 curve is supported locally.");
            if (kty == "RSA" && keySize is not (null or 2048 or 3072 or 4096)) return BadParameter("key_size must be 2048, 3072 or 4096.");

            var ops = body.TryGetProperty("key_ops", out var opsElement) && opsElement.ValueKind == JsonValueKind.Array
                ? opsElement.EnumerateArray().Select(o => o.GetString() ?? "").ToList()
                : (kty == "EC" ? SigningOps : AllRsaOps).ToList();
            var invalidOp = ops.FirstOrDefault(op => !(kty == "EC" ? SigningOps : AllRsaOps).Contains(op));
            if (invalidOp is not null) return BadParameter($"Operation '{invalidOp}' is not valid for a {kty} key.");

            var enabled = true;
            long? nbf = null, exp = null;
            if (body.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
            {
                if (attributes.TryGetProperty("enabled", out var e) && e.ValueKind is JsonValueKind.False) enabled = false;
                if (attributes.TryGetProperty("nbf", out var n) && n.ValueKind == JsonValueKind.Number) nbf = n.GetInt64();
                if (attributes.TryGetProperty("exp", out var x) && x.ValueKind == JsonValueKind.Number) exp = x.GetInt64();
            }
            var created = store.Create(name, StoredKeyVersion.Generate(kty, crv, keySize, ops, enabled, nbf, exp));
            return Json(created.ToBundle(BaseUri(http), name));
        });

        app.MapPost("/keys/{name}/{version}/sign", (string name, string version, HttpContext http, KeyStore store) =>
            Operate(name, version, "sign", http, store, (key, body) =>
            {
                if (Bytes(body, "value") is not { Length: 32 } digest) return BadParameter("value must be a base64url SHA-256 digest.");
                return key.Sign(Text(body, "alg") ?? "", digest) is { } signature
                    ? Json(new JsonObject { ["kid"] = key.KeyId(BaseUri(http), name), ["value"] = Base64Url.EncodeToString(signature) })
                    : BadParameter("The algorithm is not supported for this key.");
            }));

        app.MapPost("/keys/{name}/{version}/verify", (string name, string version, HttpContext http, KeyStore store) =>
            Operate(name, version, "verify", http, store, (key, body) =>
            {
                if (Bytes(body, "digest") is not { Length: 32 } digest) return BadParameter("digest must be a base64url SHA-256 digest.");
                if (Bytes(body, "value") is not { } signature) return BadParameter("value must be a base64url signature.");
                return key.Verify(Text(body, "alg") ?? "", digest, signature) is { } valid
                    ? Json(new JsonObject { ["value"] = valid })
                    : BadParameter("The algorithm is not supported for this key.");
            }));

        // Key Vault's encrypt and decrypt are the same RSA operations as wrapKey and unwrapKey, under their own key_ops.
        foreach (var (route, operation, encrypts) in new[]
        {
            ("wrapkey", "wrapKey", true), ("unwrapkey", "unwrapKey", false), ("encrypt", "encrypt", true), ("decrypt", "decrypt", false),
        })
        {
            app.MapPost("/keys/{name}/{version}/" + route, (string name, string version, HttpContext http, KeyStore store) =>
                Operate(name, version, operation, http, store, (key, body) => RsaOperation(key, body, encrypts, http, name)));
        }

        app.MapFallback(() => Error(StatusCodes.Status404NotFound, "NotFound", "The requested route is not served by the local Key Vault."));
    }

    /// <summary>401 without the configured bearer token (as Key Vault, with a challenge); 400 without a usable api-version.</summary>
    public static async Task RequireBearerAndApiVersion(HttpContext http, RequestDelegate next)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + http.RequestServices.GetRequiredService<LocalVaultSettings>().Token);
        var actual = Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString());
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            http.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"{BaseUri(http)}/local-token\", resource=\"https://vault.azure.net\"";
            await Error(StatusCodes.Status401Unauthorized, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.").ExecuteAsync(http);
            return;
        }

        var apiVersion = http.Request.Query["api-version"].ToString();
        var match = ApiVersion().Match(apiVersion);
        if (!match.Success || new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)) < new Version(7, 5))
        {
            await BadParameter($"The api-version '{apiVersion}' is not supported; use 7.5 or newer.").ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    private static IResult RsaOperation(KeyVersion key, JsonElement body, bool encrypts, HttpContext http, string name)
    {
        if (KeyVersion.Padding(Text(body, "alg") ?? "") is not { } padding) return BadParameter("alg must be RSA-OAEP or RSA-OAEP-256.");
        if (Bytes(body, "value") is not { Length: > 0 } value) return BadParameter("value must be base64url.");
        try
        {
            return (encrypts ? key.Wrap(padding, value) : key.Unwrap(padding, value)) is { } result
                ? Json(new JsonObject { ["kid"] = key.KeyId(BaseUri(http), name), ["value"] = Base64Url.EncodeToString(result) })
                : BadParameter("The algorithm is not supported for this key.");
        }
        catch (CryptographicException)
        {
            return BadParameter(encrypts ? "The value is too long for this key." : "The value could not be decrypted with this key.");
        }
    }

    private static IResult GetKey(string name, string? version, HttpContext http, KeyStore store) =>
        store.Get(name, version) is { } key ? Json(key.ToBundle(BaseUri(http), name)) : KeyNotFound(name, version);

    private static async Task<IResult> Operate(string name, string version, string operation, HttpContext http, KeyStore store,
        Func<KeyVersion, JsonElement, IResult> run)
    {
        if (store.Get(name, version) is not { } key) return KeyNotFound(name, version);
        if (!key.Allows(operation)) return Error(StatusCodes.Status403Forbidden, "Forbidden", $"Operation {operation} is not permitted on this key.");
        if (!key.IsUsableAt(DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
            return Error(StatusCodes.Status403Forbidden, "Forbidden", "Operation is not allowed on a disabled, expired or not yet valid key.");
        return await ReadBody(http) is { } body ? run(key, body) : BadParameter("The request body is not valid JSON.");
    }

    private static async Task<JsonElement?> ReadBody(HttpContext http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(JsonElement body, string name)
    {
        try
        {
            return Text(body, name) is { } text ? Base64Url.DecodeFromChars(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string BaseUri(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8");

    private static IResult KeyNotFound(string name, string? version = null) => Error(StatusCodes.Status404NotFound, "KeyNotFound",
        $"A key with (name/id) {name}{(string.IsNullOrEmpty(version) ? "" : "/" + version)} was not found in this key vault.");

    private static IResult BadParameter(string message) => Error(StatusCodes.Status400BadRequest, "BadParameter", message);

    private static IResult Error(int status, string code, string message) => Results.Text(
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString(),
        "application/json; charset=utf-8", statusCode: status);

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex KeyName();

    [GeneratedRegex(@"^(\d+)\.(\d+)(-preview(\.\d+)?)?$")]
    private static partial Regex ApiVersion();
}
