using System.Text.Json.Nodes;

namespace Ndhm.Privacy;

/// <summary>
/// Which fields of which stored documents hold personal data written in plaintext by earlier versions, and whose key
/// encrypts them. Field paths are dot-separated property names (<c>personal.mobile</c>); the path is also the field
/// name bound into the ciphertext, so the store must use the same name when it encrypts and decrypts.
/// </summary>
/// <param name="Name">Stable name; the migration's checkpoint is kept under it.</param>
/// <param name="ScopeOf">The subject whose key encrypts the document, from the stored document.</param>
/// <param name="JsonFieldPaths">
/// Those of <paramref name="FieldPaths"/> that hold a JSON object or array (a name with its parts, a postal address):
/// they are encrypted as their JSON text and parsed back on decryption. The others hold strings, encrypted as they are.
/// </param>
public sealed record FieldEncryptionPlan(
    string Name,
    string Container,
    string DocTypeProperty,
    string DocType,
    IReadOnlyList<string> FieldPaths,
    Func<JsonObject, DataKeyScope> ScopeOf,
    IReadOnlyCollection<string>? JsonFieldPaths = null)
{
    public bool IsJsonField(string path) => JsonFieldPaths?.Contains(path) == true;
}

/// <summary>Encrypts, in a stored document, the plan's fields that are still plaintext; already-encrypted ones are left alone.</summary>
public sealed class PlaintextFieldEncryptor(FieldCipher cipher)
{
    /// <returns>Whether any field changed (the document needs writing back).</returns>
    public async Task<bool> EncryptInPlaceAsync(FieldEncryptionPlan plan, JsonObject document, CancellationToken ct)
    {
        var id = document["id"]?.GetValue<string>() ?? throw new ArgumentException("The document has no id.");
        DataKeyScope? scope = null;
        var changed = false;
        foreach (var path in plan.FieldPaths)
        {
            var segments = path.Split('.');
            var parent = document;
            foreach (var segment in segments[..^1])
            {
                parent = parent?[segment] as JsonObject;
            }

            string? text = parent?[segments[^1]] switch
            {
                JsonValue value when value.TryGetValue<string>(out var s) && !FieldCipher.IsEnvelope(s) => s,
                JsonObject or JsonArray when plan.IsJsonField(path) => parent![segments[^1]]!.ToJsonString(),
                _ => null,
            };
            if (text is null) continue;
            scope ??= plan.ScopeOf(document);
            parent![segments[^1]] = await cipher.EncryptAsync(scope.Value, id, path, text, ct).ConfigureAwait(false);
            changed = true;
        }

        return changed;
    }

    /// <summary>
    /// The reverse, for a store reading a document: the plan's encrypted fields are replaced by their plaintext (JSON
    /// fields parsed back); fields still in plaintext (not migrated yet) are left as they are, so both forms read.
    /// SUBJECT_ERASED (410) when the subject's key was destroyed.
    /// </summary>
    public async Task DecryptInPlaceAsync(FieldEncryptionPlan plan, JsonObject document, CancellationToken ct)
    {
        var id = document["id"]?.GetValue<string>() ?? throw new ArgumentException("The document has no id.");
        DataKeyScope? scope = null;
        foreach (var path in plan.FieldPaths)
        {
            var segments = path.Split('.');
            var parent = document;
            foreach (var segment in segments[..^1])
            {
                parent = parent?[segment] as JsonObject;
            }

            if (parent?[segments[^1]] is not JsonValue value || !value.TryGetValue<string>(out var envelope) || !FieldCipher.IsEnvelope(envelope)) continue;
            scope ??= plan.ScopeOf(document);
            var text = await cipher.DecryptAsync(scope.Value, id, path, envelope, ct).ConfigureAwait(false);
            parent[segments[^1]] = plan.IsJsonField(path) ? JsonNode.Parse(text) : JsonValue.Create(text);
        }
    }
}
