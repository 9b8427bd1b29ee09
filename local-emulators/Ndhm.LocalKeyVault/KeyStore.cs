using System.Security.Cryptography;
using System.Text.Json;

namespace Ndhm.LocalKeyVault;

/// <summary>
/// Every key and every version, private material included, kept in one JSON file under the data directory.
/// Writes go to a temporary file that then replaces the old one, so a crash never leaves a half-written store.
/// One lock is enough: this is a sandbox endpoint, not a vault.
/// </summary>
public sealed class KeyStore
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, List<KeyVersion>> _keys;

    public KeyStore(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _path = Path.Combine(dataDirectory, "keys.json");
        _keys = File.Exists(_path)
            ? JsonSerializer.Deserialize<StoreFile>(File.ReadAllBytes(_path), FileJson)!.Keys
                .ToDictionary(k => k.Key, k => k.Value.Select(v => new KeyVersion(v)).ToList(), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, List<KeyVersion>>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The newest version, or a named one; null when absent.</summary>
    public KeyVersion? Get(string name, string? version)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var versions)) return null;
            return string.IsNullOrEmpty(version)
                ? versions[^1]
                : versions.FirstOrDefault(v => string.Equals(v.Stored.Version, version, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>All versions, oldest first; null when the key does not exist.</summary>
    public IReadOnlyList<KeyVersion>? Versions(string name)
    {
        lock (_gate) return _keys.TryGetValue(name, out var versions) ? versions.ToList() : null;
    }

    public KeyVersion Create(string name, StoredKeyVersion stored)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var versions)) _keys[name] = versions = [];
            var created = new KeyVersion(stored);
            versions.Add(created);
            Save();
            return created;
        }
    }

    public bool Exists(string name)
    {
        lock (_gate) return _keys.ContainsKey(name);
    }

    private void Save()
    {
        var file = new StoreFile(_keys.ToDictionary(k => k.Key, k => k.Value.Select(v => v.Stored).ToList()));
        var temporary = _path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, file, FileJson);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }

    private sealed record StoreFile(Dictionary<string, List<StoredKeyVersion>> Keys);
}

/// <summary>One key version as persisted. <see cref="Pkcs8"/> is the private key, base64.</summary>
public sealed record StoredKeyVersion(
    string Version, string Kty, string? Crv, int? KeySize, string Pkcs8, IReadOnlyList<string> KeyOps,
    long Created, long Updated, bool Enabled, long? NotBefore, long? Expires)
{
    public static StoredKeyVersion Generate(string kty, string? crv, int? keySize, IReadOnlyList<string> keyOps, bool enabled,
        long? notBefore, long? expires)
    {
        byte[] pkcs8;
        if (kty == "EC")
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ec.ExportPkcs8PrivateKey();
        }
        else
        {
            using var rsa = RSA.Create(keySize ?? 2048);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new StoredKeyVersion(Guid.NewGuid().ToString("N"), kty, kty == "EC" ? crv ?? "P-256" : null,
            kty == "RSA" ? keySize ?? 2048 : null, Convert.ToBase64String(pkcs8), keyOps, now, now, enabled, notBefore, expires);
    }
}
