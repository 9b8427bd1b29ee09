using System.Text.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Audit;

/// <summary>Why a chain failed verification (stable codes; the CLI and the admin endpoint print them).</summary>
public static class AuditProblems
{
    /// <summary>The entry's content does not hash to the hash stored beside it.</summary>
    public const string EntryAltered = "ENTRY_ALTERED";
    /// <summary>The entry's prevHash is not the previous entry's hash: an entry was inserted, replaced or rewritten before it.</summary>
    public const string LinkBroken = "LINK_BROKEN";
    /// <summary>An entry the sequence (or the signed head) says exists is not there.</summary>
    public const string EntryMissing = "ENTRY_MISSING";
    /// <summary>Sequence numbers do not run 1, 2, 3... in order: entries were reordered or duplicated.</summary>
    public const string EntryOutOfOrder = "ENTRY_OUT_OF_ORDER";
    /// <summary>The entry names another chain.</summary>
    public const string WrongChain = "ENTRY_WRONG_CHAIN";
    /// <summary>The entry is not an audit entry (missing fields, numbers the canonical form refuses).</summary>
    public const string EntryMalformed = "ENTRY_MALFORMED";
    /// <summary>The head signature does not verify against the platform's keys, or signs another chain.</summary>
    public const string HeadSignatureInvalid = "HEAD_SIGNATURE_INVALID";
    /// <summary>The entry at the signed head's place does not have the signed hash: the chain was rewritten up to it.</summary>
    public const string HeadMismatch = "HEAD_MISMATCH";
}

/// <summary>The first thing wrong with a chain: the entry (by place and stored id) and what is wrong with it.</summary>
public sealed record AuditProblem(string Code, long Seq, string EntryId, string Detail);

/// <param name="Intact">True when every entry links and hashes correctly and the signed head (if any) verifies and matches.</param>
/// <param name="SignedSeq">The place up to which a verified signature vouches for the chain; entries after it are vouched for by hashes only until the next signing run.</param>
public sealed record AuditChainReport(string Chain, bool Intact, long Entries, long? SignedSeq, string? SignedAt, string? HeadHash,
    AuditProblem? FirstProblem);

/// <summary>
/// Verifies a chain from its entries in chain order and its signed head. Detects an altered entry (hash), a removed
/// one (a gap, or a chain shorter than its signed head), reordered or duplicated ones (sequence), an inserted or
/// replaced one (prevHash), and a rewritten chain whose hashes were all recomputed (signed head), naming the first
/// bad entry. Pure: the admin endpoint, the CLI and third parties run the same checks.
/// </summary>
public static class AuditChainVerifier
{
    public static AuditChainReport Verify(string chain, IReadOnlyList<SealedAuditEntry> entries, string? signedHeadJws,
        IReadOnlyList<PublicJsonWebKey> keys)
    {
        var expectedPrev = AuditHashing.Genesis;
        var places = new HashSet<long>();
        foreach (var entry in entries)
        {
            try { places.Add(entry.Seq); }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException) { }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var expectedSeq = i + 1L;
            if (Check(chain, entries[i], expectedSeq, expectedPrev, places) is { } problem)
            {
                return Report(chain, entries, null, null, problem);
            }

            expectedPrev = entries[i].Hash;
        }

        if (signedHeadJws is null)
        {
            return Report(chain, entries, null, null, null);
        }

        if (AuditJws.Verify(signedHeadJws, keys, out var reason) is not { } payload)
        {
            return Report(chain, entries, null, null, HeadProblem(chain, entries.Count, $"The signed head is not valid: {reason}."));
        }

        AuditHeadClaim head;
        try
        {
            head = payload.Deserialize<AuditHeadClaim>(Core.Json.NdhmJson.Options) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return Report(chain, entries, null, null, HeadProblem(chain, entries.Count, "The signed head's payload is not a head claim."));
        }

        if (head.Chain != chain)
        {
            return Report(chain, entries, null, null, HeadProblem(chain, entries.Count, $"The signed head is for chain {head.Chain}."));
        }

        if (head.Seq > entries.Count)
        {
            var missing = entries.Count + 1L;
            return Report(chain, entries, null, null, new AuditProblem(AuditProblems.EntryMissing, missing, AuditEntryId.For(chain, missing),
                $"The head signed at {head.SignedAt} is entry {head.Seq}, but the chain ends at entry {entries.Count}: entries from {missing} were removed."));
        }

        if (head.Seq < 1 || entries[(int)head.Seq - 1].Hash != head.Hash)
        {
            var at = Math.Max(head.Seq, 1);
            return Report(chain, entries, null, null, new AuditProblem(AuditProblems.HeadMismatch, at, AuditEntryId.For(chain, at),
                $"Entry {at} does not have the hash signed at {head.SignedAt}: the chain was rewritten up to it (this entry or one before it)."));
        }

        return Report(chain, entries, head.Seq, head.SignedAt, null);
    }

    private static AuditProblem? Check(string chain, SealedAuditEntry entry, long expectedSeq, string expectedPrev, HashSet<long> places)
    {
        string entryChain, prevHash;
        long seq;
        string hash;
        try
        {
            entryChain = entry.Chain;
            seq = entry.Seq;
            prevHash = entry.PrevHash;
            hash = AuditHashing.HashOf(entry.Entry);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Problem(AuditProblems.EntryMalformed, chain, expectedSeq, $"Entry {expectedSeq} is not an audit entry ({e.Message}).");
        }

        if (entryChain != chain)
        {
            return Problem(AuditProblems.WrongChain, chain, expectedSeq, $"Entry {expectedSeq} names chain {entryChain}.");
        }

        if (seq != expectedSeq)
        {
            return seq > expectedSeq && !places.Contains(expectedSeq)
                ? Problem(AuditProblems.EntryMissing, chain, expectedSeq, $"Entry {expectedSeq} is missing: the next entry is {seq}.")
                : Problem(AuditProblems.EntryOutOfOrder, chain, expectedSeq, $"Entry {seq} appears where entry {expectedSeq} belongs.");
        }

        if (hash != entry.Hash)
        {
            return Problem(AuditProblems.EntryAltered, chain, seq, $"Entry {seq} does not hash to its recorded hash: its content was changed.");
        }

        return prevHash != expectedPrev
            ? Problem(AuditProblems.LinkBroken, chain, seq,
                $"Entry {seq} does not follow entry {seq - 1}: an entry was inserted or replaced here, or entry {seq - 1} was rewritten.")
            : null;
    }

    private static AuditProblem HeadProblem(string chain, int count, string detail) =>
        new(AuditProblems.HeadSignatureInvalid, count, AuditEntryId.For(chain, count), detail);

    private static AuditProblem Problem(string code, string chain, long seq, string detail) => new(code, seq, AuditEntryId.For(chain, seq), detail);

    private static AuditChainReport Report(string chain, IReadOnlyList<SealedAuditEntry> entries, long? signedSeq, string? signedAt,
        AuditProblem? problem) =>
        new(chain, problem is null, entries.Count, signedSeq, signedAt, entries.Count > 0 ? entries[^1].Hash : null, problem);
}
