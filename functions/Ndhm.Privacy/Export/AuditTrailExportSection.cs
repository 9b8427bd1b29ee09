using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Audit;

namespace Ndhm.Privacy.Export;

/// <summary>
/// The patient's whole audit chain, newest first, each entry exactly as stored (chain, seq, prevHash...) with its hash,
/// and the chain's latest signed head: reversed, it is the admin export's <c>entries</c>, so the patient can verify it
/// (<c>ndhm audit verify</c> with the platform's JWKS). One single-partition read of the chain.
/// </summary>
public sealed class AuditTrailExportSection(IAuditEntryStore entries, IAuditSignatureStore signatures) : IPatientDataExportSection
{
    public const string SectionName = "auditTrail";

    public string Name => SectionName;

    public async Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var chain = subject.AuditChain;
        var stored = await entries.ReadChainAsync(chain, ct).ConfigureAwait(false);
        var head = await signatures.ReadSignedHeadAsync(chain, ct).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var entry in stored.OrderByDescending(e => e.Seq))
            list.Add(new JsonObject { ["entry"] = JsonNode.Parse(entry.Entry.GetRawText()), ["hash"] = entry.Hash });
        var section = new JsonObject
        {
            ["chain"] = chain,
            ["order"] = "newest-first",
            ["entryCount"] = stored.Count,
            ["entries"] = list,
        };
        if (head is not null) section["signedHead"] = head.Jws;
        return section;
    }
}
