using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Audit;

/// <summary>One stored entry in an export: the entry object as stored and its recorded hash.</summary>
public sealed record AuditExportEntry(JsonElement Entry, string Hash);

/// <summary>
/// A chain as exported for offline verification (<c>ndhm audit verify file.json</c>): its entries in chain order,
/// its signed head (compact JWS, null before the first signing run) and the platform's public keys at export time.
/// A verifier that does not trust the exporter checks against the JWKS it fetched itself (<c>--jwks</c>).
/// </summary>
public sealed record AuditExport(
    string Format,
    string Chain,
    IReadOnlyList<AuditExportEntry> Entries,
    string? SignedHead,
    [property: JsonPropertyName("jwks")] IReadOnlyList<PublicJsonWebKey> Keys)
{
    public const string CurrentFormat = "ndhm-audit-export/1";

    public IReadOnlyList<SealedAuditEntry> Sealed() => Entries.Select(e => new SealedAuditEntry(e.Entry, e.Hash)).ToList();

    public AuditChainReport Verify(IReadOnlyList<PublicJsonWebKey>? trustedKeys = null) =>
        AuditChainVerifier.Verify(Chain, Sealed(), SignedHead, trustedKeys ?? Keys);

    public static AuditExport Parse(string json) =>
        JsonSerializer.Deserialize<AuditExport>(json, NdhmJson.Options) is { Format: CurrentFormat } export
            ? export
            : throw new JsonException($"Not an audit export (format {CurrentFormat}).");
}
