using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.Audit;

/// <summary>A trail over the in-memory store, signing with software keys, and the tampering tests apply to it.</summary>
internal sealed class AuditRig : IDisposable
{
    public const string Abha = "91123456789012";
    public static readonly string Chain = AuditChainKey.Patient(Abha);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    public InMemoryAuditStore Store { get; } = new();
    public InMemorySigningKeys Keys { get; } = new();
    public AuditTrail Trail { get; }
    public AuditHeadSigning Signing { get; }
    public AuditQueries Queries { get; }

    public AuditRig()
    {
        Trail = new AuditTrail(Store, Time);
        Signing = new AuditHeadSigning(Store, Store, new AuditJws(Keys), Keys, Time);
        Queries = new AuditQueries(Store, Store, Keys);
    }

    public static AuditEvent Read(string chain, int n) =>
        new(chain, new AuditActor("hiu-client-1", [Roles.Hiu], Partner: "hiu-client-1", RequestId: $"req-{n}"), "record.read",
            new AuditResource("care-context", $"cc-{n}"), Purpose: "CAREMGT", ConsentId: $"consent-{n}");

    public async Task AppendAsync(int count, string? chain = null)
    {
        for (var i = 0; i < count; i++)
        {
            await Trail.RecordAsync(Read(chain ?? Chain, i), CancellationToken.None);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    public SortedDictionary<long, SealedAuditEntry> Entries(string? chain = null) => Store.Chains[chain ?? Chain];

    public Task<AuditChainReport> VerifyAsync(string? chain = null) => Queries.VerifyChainAsync(chain ?? Chain, CancellationToken.None);

    /// <summary>Changes one property of the stored entry; with <paramref name="rehash"/> the stored hash is recomputed too.</summary>
    public void Alter(long seq, string property, string value, bool rehash = false, string? chain = null)
    {
        var entries = Entries(chain);
        var node = JsonNode.Parse(entries[seq].Entry.GetRawText())!.AsObject();
        node[property] = value;
        entries[seq] = Sealed(node, rehash ? null : entries[seq].Hash);
    }

    public static SealedAuditEntry Sealed(JsonObject node, string? hash = null)
    {
        var element = JsonSerializer.SerializeToElement(node);
        return new SealedAuditEntry(element, hash ?? AuditHashing.HashOf(element));
    }

    public void Dispose() => Keys.Dispose();
}
