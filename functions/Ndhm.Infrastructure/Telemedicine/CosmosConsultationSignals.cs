using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Telemedicine;

/// <summary>
/// Call signals in the <c>telemedicine</c> container, one partition per consultation (<c>signals:&lt;id&gt;</c>), id
/// <c>signal:&lt;id&gt;:&lt;sequence&gt;</c>. The next number is the highest stored plus one, written create-only: of two
/// participants posting at once one gets the number and the other, refused, takes the next, so numbers have no gaps and
/// a number is only ever written once the one before it exists (a reader's cursor never skips a late writer). Each
/// document expires on its own (<c>ttl</c>) with the consultation.
/// </summary>
public sealed class CosmosConsultationSignals(CosmosClient client, CosmosSettings settings, TimeProvider time) : IConsultationSignals
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Telemedicine.Name);

    public async Task<Signal?> AppendAsync(Signal signal, int max, CancellationToken ct)
    {
        var pk = SignalDocument.PartitionOf(signal.ConsultationId);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var next = await HighestAsync(pk, ct) + 1;
            if (next > max) return null;
            var numbered = signal with { Sequence = next };
            var ttl = (int)Math.Max(60, Math.Ceiling((signal.ExpiresAt - time.GetUtcNow()).TotalSeconds));
            if (await CosmosDocuments.TryCreateAsync(Container, SignalDocument.Of(numbered, ttl), pk, ct) is not null) return numbered;
        }

        throw new InvalidOperationException("Could not number a signal after 20 attempts.");
    }

    public async Task<IReadOnlyList<Signal>> ListAfterAsync(string consultationId, long after, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.seq > @after ORDER BY c.seq")
            .WithParameter("@take", take).WithParameter("@type", SignalDocument.Type).WithParameter("@after", after);
        var found = await CosmosDocuments.QueryAsync<SignalDocument>(Container, query, take, SignalDocument.PartitionOf(consultationId), ct);
        return found.Select(d => d.ToSignal()).ToList();
    }

    private async Task<long> HighestAsync(string pk, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP 1 c.seq FROM c WHERE c.docType = @type ORDER BY c.seq DESC").WithParameter("@type", SignalDocument.Type);
        var top = await CosmosDocuments.QueryAsync<SequenceOnly>(Container, query, 1, pk, ct);
        return top.Count == 0 ? 0 : top[0].Seq;
    }

    private sealed record SequenceOnly(long Seq);
}

/// <summary>One relayed signal (plaintext: SDP and ICE candidates carry network addresses and codecs, no health data; kept only until the consultation's end and grace).</summary>
internal sealed record SignalDocument(string Id, string Pk, string DocType, string ConsultationId, long Seq, string Sender, string SignalType,
    string Payload, long AtMs, long ExpiresAtMs, int Ttl)
{
    public const string Type = "teleSignal";

    public static string PartitionOf(string consultationId) => "signals:" + consultationId;

    public static SignalDocument Of(Signal s, int ttl) =>
        new($"signal:{s.ConsultationId}:{s.Sequence}", PartitionOf(s.ConsultationId), Type, s.ConsultationId, s.Sequence, s.From, s.Type, s.Payload,
            s.At.ToUnixTimeMilliseconds(), s.ExpiresAt.ToUnixTimeMilliseconds(), ttl);

    public Signal ToSignal() => new(ConsultationId, Seq, Sender, SignalType, Payload, DateTimeOffset.FromUnixTimeMilliseconds(AtMs),
        DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtMs));
}
