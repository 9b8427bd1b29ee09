using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Ndhm.Core.Keys;

namespace Ndhm.Audit;

/// <summary>A page of a trail, newest first; <see cref="ContinuationToken"/> asks for the next (older) page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? ContinuationToken);

/// <summary>A chain listed in the latest digest that the store no longer has as signed.</summary>
public sealed record AuditDigestProblem(string Chain, long Seq, string Detail);

public sealed record AuditDigestReport(string? Day, bool Intact, int Chains, string? Problem, IReadOnlyList<AuditDigestProblem> BadChains);

/// <summary>Reading the trail: a patient's own entries, an admin's verification and export of any chain.</summary>
public sealed class AuditQueries(IAuditEntryStore entries, IAuditSignatureStore signatures, ISigningKeys keys)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The patient's chain, newest first.</summary>
    public async Task<AuditPage> PatientTrailAsync(string abhaNumber, int? pageSize, string? continuationToken, CancellationToken ct)
    {
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            throw AuditErrors.InvalidPageRequest($"pageSize must be 1 to {MaxPageSize}.");
        }

        var before = DecodeCursor(continuationToken);
        var page = await entries.ReadNewestFirstAsync(AuditChainKey.Patient(abhaNumber), before, size, ct);
        var last = page.Count == size ? page[^1].Seq : 0;
        return new AuditPage(page.Select(e => e.Read()).ToList(), last > 1 ? EncodeCursor(last) : null);
    }

    public async Task<AuditChainReport> VerifyChainAsync(string chain, CancellationToken ct)
    {
        var export = await ExportAsync(chain, ct);
        return export.Verify();
    }

    public async Task<AuditExport> ExportAsync(string chain, CancellationToken ct)
    {
        var key = AuditChainKey.Parse(chain);
        var stored = await entries.ReadChainAsync(key, ct);
        var head = await signatures.ReadSignedHeadAsync(key, ct);
        if (stored.Count == 0 && head is null)
        {
            throw AuditErrors.ChainNotFound();
        }

        var publicKeys = await keys.GetPublicKeysAsync(refresh: false, ct);
        return new AuditExport(AuditExport.CurrentFormat, key, stored.Select(e => new AuditExportEntry(e.Entry, e.Hash)).ToList(), head?.Jws, publicKeys);
    }

    /// <summary>
    /// Checks the latest digest: its signature, and that every chain it lists still has the listed entry with the
    /// listed hash (one point read per chain). A deleted chain, or one truncated or rewritten below its digested head,
    /// is named.
    /// </summary>
    public async Task<AuditDigestReport> VerifyDigestAsync(CancellationToken ct)
    {
        if (await signatures.ReadLatestDigestAsync(ct) is not { } digest)
        {
            return new AuditDigestReport(null, true, 0, null, []);
        }

        var publicKeys = await keys.GetPublicKeysAsync(refresh: false, ct);
        if (AuditJws.Verify(digest.Jws, publicKeys, out var reason) is not { } payload
            || System.Text.Json.JsonSerializer.Deserialize<AuditDigestClaim>(payload, Core.Json.NdhmJson.Options) is not { } claim
            || claim.Day != digest.Day)
        {
            return new AuditDigestReport(digest.Day, false, digest.Chains, $"The digest signature is not valid: {(reason.Length > 0 ? reason : "day mismatch")}.", []);
        }

        var problems = new List<AuditDigestProblem>();
        foreach (var head in claim.Heads)
        {
            var found = await entries.ReadEntryAsync(head.Chain, head.Seq, ct);
            if (found is null)
            {
                problems.Add(new AuditDigestProblem(head.Chain, head.Seq, $"Entry {head.Seq} of the chain is gone (the chain was deleted or truncated)."));
            }
            else if (found.Hash != head.Hash || AuditHashing.HashOf(found.Entry) != head.Hash)
            {
                problems.Add(new AuditDigestProblem(head.Chain, head.Seq, $"Entry {head.Seq} differs from the digested head."));
            }
        }

        return new AuditDigestReport(claim.Day, problems.Count == 0, claim.Heads.Count, null, problems);
    }

    private static string EncodeCursor(long beforeSeq) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(beforeSeq.ToString(CultureInfo.InvariantCulture)));

    private static long? DecodeCursor(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
                ? seq
                : throw AuditErrors.InvalidPageRequest("continuationToken is not one this endpoint issued.");
        }
        catch (FormatException)
        {
            throw AuditErrors.InvalidPageRequest("continuationToken is not one this endpoint issued.");
        }
    }
}
