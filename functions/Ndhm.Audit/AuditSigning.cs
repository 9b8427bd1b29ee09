using System.Globalization;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;
using Ndhm.Core.Abdm;

namespace Ndhm.Audit;

/// <summary>What one signing run did; <see cref="Refused"/> are chains whose new entries did not verify (not signed).</summary>
public sealed record AuditSigningRun(int Chains, int HeadsSigned, string DigestDay, IReadOnlyList<string> Refused);

/// <summary>
/// Signs every chain's head whose head moved since it was last signed, then the day's digest of all heads (sorted
/// by chain key). Run by a timer (<c>Audit__SigningSchedule</c>) and on demand by an admin. Rewriting a chain then
/// means forging a signature made in Key Vault; deleting a chain leaves it listed in the digest.
/// A head is signed only when the entries since the last valid signature still verify (hashes and links from the
/// signed place on, or the whole chain when it was never signed): a signing run never vouches for a tampered chain.
/// A refused chain keeps its last signed head in the digest.
/// </summary>
public sealed class AuditHeadSigning(IAuditEntryStore entries, IAuditSignatureStore signatures, IAuditHeadSigner signer,
    ISigningKeys keys, TimeProvider time)
{
    public async Task<AuditSigningRun> SignAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var signedAt = AbdmTimestamp.Of(now);
        var chains = (await entries.ListChainsAsync(ct)).Order(StringComparer.Ordinal).ToList();
        var publicKeys = await keys.GetPublicKeysAsync(refresh: false, ct);
        // Chains are independent and each one is a few store reads and at most one Key Vault signature: done a few at a
        // time, an on-demand run over a busy store answers within an HTTP request instead of one chain after another.
        var outcomes = new ChainOutcome[chains.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chains.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ChainsAtOnce, CancellationToken = ct },
            async (i, token) => outcomes[i] = await SignChainAsync(chains[i], publicKeys, signedAt, token));
        var heads = outcomes.Where(o => o.Head is not null).Select(o => o.Head!).ToList();
        var refused = chains.Where((_, i) => outcomes[i].Refused).ToList();
        var signed = outcomes.Count(o => o.Signed);

        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var digest = await signer.SignAsync(new AuditDigestClaim(day, signedAt, heads).ToJson(), ct);
        await signatures.SaveDigestAsync(new SignedAuditDigest(day, heads.Count, digest), ct);
        return new AuditSigningRun(chains.Count, signed, day, refused);
    }

    private const int ChainsAtOnce = 8;

    /// <summary>One chain's part of a run: the head the digest lists (null for an empty chain), and what happened.</summary>
    private sealed record ChainOutcome(AuditHeadRef? Head, bool Signed, bool Refused);

    private async Task<ChainOutcome> SignChainAsync(string chain, IReadOnlyList<PublicJsonWebKey> publicKeys, string signedAt, CancellationToken ct)
    {
        if (await entries.ReadHeadAsync(chain, ct) is not { } head)
        {
            return new ChainOutcome(null, false, false);
        }

        var last = await signatures.ReadSignedHeadAsync(chain, ct) is { } stored ? Claim(stored.Jws, publicKeys, chain) : null;
        if (last is not null && last.Seq == head.Seq && last.Hash == head.Hash)
        {
            return new ChainOutcome(new AuditHeadRef(chain, head.Seq, head.Hash), false, false);
        }

        if (!await VerifiesSinceAsync(chain, last, head, ct))
        {
            return new ChainOutcome(last is null ? null : new AuditHeadRef(chain, last.Seq, last.Hash), false, true);
        }

        var jws = await signer.SignAsync(new AuditHeadClaim(chain, head.Seq, head.Hash, signedAt).ToJson(), ct);
        await signatures.SaveSignedHeadAsync(new SignedAuditHead(chain, head.Seq, head.Hash, jws), ct);
        return new ChainOutcome(new AuditHeadRef(chain, head.Seq, head.Hash), true, false);
    }

    /// <summary>The signed claim when its signature verifies for this chain; null otherwise (treated as never signed).</summary>
    private static AuditHeadClaim? Claim(string jws, IReadOnlyList<PublicJsonWebKey> publicKeys, string chain)
    {
        try
        {
            return AuditJws.Verify(jws, publicKeys, out _) is { } payload
                   && payload.Deserialize<AuditHeadClaim>(NdhmJson.Options) is { } claim && claim.Chain == chain
                ? claim
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<bool> VerifiesSinceAsync(string chain, AuditHeadClaim? last, SealedAuditEntry head, CancellationToken ct)
    {
        if (last is null)
        {
            var all = await entries.ReadChainAsync(chain, ct);
            return head.Seq <= all.Count && all[(int)head.Seq - 1].Hash == head.Hash
                && AuditChainVerifier.Verify(chain, all.Take((int)head.Seq).ToList(), null, []).Intact;
        }

        if (head.Seq < last.Seq)
        {
            return false; // entries after the signed place were removed
        }

        var previous = last.Hash;
        for (var seq = last.Seq; seq <= head.Seq; seq++)
        {
            if (await entries.ReadEntryAsync(chain, seq, ct) is not { } entry || !Sound(entry, chain, seq))
            {
                return false;
            }

            var links = seq == last.Seq ? entry.Hash == last.Hash : entry.PrevHash == previous;
            if (!links)
            {
                return false;
            }

            previous = entry.Hash;
        }

        return previous == head.Hash;
    }

    private static bool Sound(SealedAuditEntry entry, string chain, long seq)
    {
        try
        {
            return entry.Chain == chain && entry.Seq == seq && AuditHashing.HashOf(entry.Entry) == entry.Hash;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
