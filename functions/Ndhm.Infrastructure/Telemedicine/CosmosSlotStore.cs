using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Telemedicine;

/// <summary>Slots in Cosmos (<see cref="SlotDocument"/>): create-only publishing, If-Match holds, parameterised searches.</summary>
public sealed class CosmosSlotStore(CosmosClient client, CosmosSettings settings) : ISlotStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Telemedicine.Name);

    public async Task<string?> TryCreateAsync(Slot slot, CancellationToken ct)
    {
        var document = SlotDocument.From(slot);
        return await CosmosDocuments.TryCreateAsync(Container, document, document.Pk, ct);
    }

    public async Task<Versioned<Slot>?> FindAsync(string slotId, CancellationToken ct)
    {
        var id = SlotDocument.IdOf(slotId);
        return await CosmosDocuments.TryReadAsync<SlotDocument>(Container, id, id, ct) is { } read
            ? new Versioned<Slot>(read.Document.Slot, read.ETag)
            : null;
    }

    public async Task<string?> TryReplaceAsync(Slot slot, string ifMatch, CancellationToken ct)
    {
        var document = SlotDocument.From(slot);
        return (await CosmosDocuments.TryReplaceAsync(Container, document, document.Id, document.Pk, ifMatch, ct)).ETag;
    }

    public async Task<IReadOnlyList<Slot>> ListForDoctorAsync(string hprId, DateTimeOffset from, DateTimeOffset until, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take * FROM c WHERE c.docType = @type AND c.doctorHprId = @doctor AND c.startMs >= @from AND c.startMs < @until ORDER BY c.startMs")
            .WithParameter("@take", take).WithParameter("@type", SlotDocument.Type).WithParameter("@doctor", hprId)
            .WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@until", until.ToUnixTimeMilliseconds());
        return (await CosmosDocuments.QueryAsync<SlotDocument>(Container, query, take, partitionKey: null, ct)).Select(d => d.Slot).ToList();
    }

    public async Task<IReadOnlyList<Slot>> SearchAsync(SlotQuery q, DateTimeOffset now, int take, CancellationToken ct)
    {
        var sql = new StringBuilder(
            "SELECT TOP @take * FROM c WHERE c.docType = @type AND c.withdrawn = false AND c.startMs >= @earliest" +
            " AND (NOT IS_NUMBER(c.holdUntil) OR c.holdUntil <= @now)");
        var parameters = new List<(string, object?)>
        {
            ("@take", take), ("@type", SlotDocument.Type), ("@earliest", q.EarliestStart.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds()),
        };
        void Where(string clause, string name, object? value)
        {
            sql.Append(" AND ").Append(clause);
            parameters.Add((name, value));
        }

        if (q.LatestStart is { } latest) Where("c.startMs <= @latest", "@latest", latest.ToUnixTimeMilliseconds());
        if (q.Specialty is not null) Where("c.specialtyLower = @specialty", "@specialty", q.Specialty);
        if (q.Language is not null) Where("ARRAY_CONTAINS(c.languagesLower, @language)", "@language", q.Language);
        if (q.DoctorName is not null) Where("CONTAINS(c.doctorNameLower, @name)", "@name", q.DoctorName);
        if (q.MaxFeePaise is { } fee) Where("c.feePaise <= @fee", "@fee", fee);
        if (q.Mode is { } mode) Where("ARRAY_CONTAINS(c.modes, @mode)", "@mode", ConsultationModes.Name(mode));
        if (q.DoctorHprId is not null) Where("c.doctorHprId = @doctor", "@doctor", q.DoctorHprId);
        if (q.Within is { } box)
        {
            Where("c.latitude >= @minLat", "@minLat", box.MinLatitude);
            Where("c.latitude <= @maxLat", "@maxLat", box.MaxLatitude);
            Where("c.longitude >= @minLon", "@minLon", box.MinLongitude);
            Where("c.longitude <= @maxLon", "@maxLon", box.MaxLongitude);
        }

        var query = new QueryDefinition(sql.Append(" ORDER BY c.startMs").ToString());
        foreach (var (name, value) in parameters) query = query.WithParameter(name, value);
        return (await CosmosDocuments.QueryAsync<SlotDocument>(Container, query, take, partitionKey: null, ct)).Select(d => d.Slot).ToList();
    }
}
