using System.Globalization;

namespace Ndhm.Audit;

/// <summary>What one signing run did.</summary>
public sealed record AuditSigningRun(int Chains, int HeadsSigned, string DigestDay);

/// <summary>
/// Signs every chain's head whose head moved since it was last signed, then the day's digest of all heads (sorted
/// by chain key). Run by a timer (<c>Audit__SigningSchedule</c>) and on demand by an admin. Rewriting a chain then
/// means forging a signature made in Key Vault; deleting a chain leaves it listed in the digest.
/// </summary>
public sealed class AuditHeadSigning(IAuditEntryStore entries, IAuditSignatureStore signatures, IAuditHeadSigner signer, TimeProvider time)
{
    public async Task<AuditSigningRun> SignAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var signedAt = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var chains = (await entries.ListChainsAsync(ct)).Order(StringComparer.Ordinal).ToList();
        var heads = new List<AuditHeadRef>(chains.Count);
        var signed = 0;
        foreach (var chain in chains)
        {
            if (await entries.ReadHeadAsync(chain, ct) is not { } head)
            {
                continue;
            }

            heads.Add(new AuditHeadRef(chain, head.Seq, head.Hash));
            if (await signatures.ReadSignedHeadAsync(chain, ct) is { } last && last.Seq == head.Seq && last.Hash == head.Hash)
            {
                continue;
            }

            var jws = await signer.SignAsync(new AuditHeadClaim(chain, head.Seq, head.Hash, signedAt).ToJson(), ct);
            await signatures.SaveSignedHeadAsync(new SignedAuditHead(chain, head.Seq, head.Hash, jws), ct);
            signed++;
        }

        var day = now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var digest = await signer.SignAsync(new AuditDigestClaim(day, signedAt, heads).ToJson(), ct);
        await signatures.SaveDigestAsync(new SignedAuditDigest(day, heads.Count, digest), ct);
        return new AuditSigningRun(chains.Count, signed, day);
    }
}
