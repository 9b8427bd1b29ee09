using System.Text.Json;
using Ndhm.Core.Json;

namespace Ndhm.Audit;

/// <summary>What a chain head signature asserts: entry <see cref="Seq"/> of <see cref="Chain"/> has <see cref="Hash"/>.</summary>
public sealed record AuditHeadClaim(string Chain, long Seq, string Hash, string SignedAt)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, NdhmJson.Options);
}

/// <summary>A stored head signature. Only the JWS counts; the copies beside it are for reading and queries.</summary>
public sealed record SignedAuditHead(string Chain, long Seq, string Hash, string Jws);

/// <summary>One chain's head as listed in a digest.</summary>
public sealed record AuditHeadRef(string Chain, long Seq, string Hash);

/// <summary>All chain heads on one UTC day, sorted by chain key: a chain removed since is missing from the store.</summary>
public sealed record AuditDigestClaim(string Day, string SignedAt, IReadOnlyList<AuditHeadRef> Heads)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, NdhmJson.Options);
}

public sealed record SignedAuditDigest(string Day, int Chains, string Jws);
