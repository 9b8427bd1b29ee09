using System.Globalization;
using System.Text.Json;
using Ndhm.Core.Json;

namespace Ndhm.Audit;

/// <summary>
/// One link of a chain, as it is hashed: the <see cref="AuditEvent"/> plus its place in the chain
/// (<see cref="Seq"/> from 1, <see cref="PrevHash"/> the previous entry's hash, 64 zeros for the first), and the
/// time it was written (<see cref="At"/>, ISO 8601 UTC text, so no reader reformats it).
/// </summary>
public sealed record AuditEntry(
    string Chain,
    long Seq,
    string At,
    AuditEntryActor Actor,
    string Action,
    AuditResource Resource,
    string? Purpose,
    string? ConsentId,
    string? Outcome,
    string? RequestId,
    string PrevHash)
{
    public static AuditEntry From(AuditEvent e, long seq, string prevHash, DateTimeOffset at) => new(
        e.Chain, seq, at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        new AuditEntryActor(e.Actor.Subject, e.Actor.Roles.ToList(), e.Actor.Partner, e.Actor.Facility),
        e.Action, e.Resource, e.Purpose, e.ConsentId, e.Outcome, e.Actor.RequestId, prevHash);

    /// <summary>The entry as a JSON object in the platform convention (camelCase, nulls left out): what is stored and hashed.</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, NdhmJson.Options);

    /// <summary>Hashes the entry and pairs it with its hash.</summary>
    public SealedAuditEntry Seal()
    {
        var json = ToJson();
        return new SealedAuditEntry(json, AuditHashing.HashOf(json));
    }
}

public sealed record AuditEntryActor(string Subject, IReadOnlyList<string> Roles, string? Partner, string? Facility);

/// <summary>
/// An entry as stored: the entry's JSON object exactly as read (never re-serialised before hashing, so a changed,
/// added or removed property changes the hash) and the hash recorded beside it.
/// </summary>
public sealed record SealedAuditEntry(JsonElement Entry, string Hash)
{
    public string Chain => Entry.GetProperty("chain").GetString() ?? "";

    public long Seq => Entry.GetProperty("seq").GetInt64();

    public string PrevHash => Entry.GetProperty("prevHash").GetString() ?? "";

    /// <summary>The typed entry (for views); throws JsonException when the stored object is not one.</summary>
    public AuditEntry Read() => Entry.Deserialize<AuditEntry>(NdhmJson.Options) ?? throw new JsonException("Empty audit entry.");
}
