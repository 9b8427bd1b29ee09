using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;

namespace Ndhm.Infrastructure.Registry;

internal static class RegistryCosmos
{
    public static DomainException ConcurrentUpdate() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The entry changed since it was read.",
            "Read it again and retry with its current ETag in If-Match.");

    /// <summary>The enum's stored form (camelCase string, as NdhmJson writes it).</summary>
    public static string EnumValue<T>(T value) where T : struct, Enum =>
        JsonSerializer.Serialize(value, NdhmJson.Options).Trim('"');

    public static async Task<List<T>> QueryAsync<T>(Container container, string sql, Dictionary<string, object> parameters, int take,
        CancellationToken ct)
    {
        var definition = new QueryDefinition(sql);
        foreach (var (name, value) in parameters)
        {
            definition = definition.WithParameter(name, value);
        }

        var results = new List<T>(take);
        using var iterator = container.GetItemQueryIterator<T>(definition, requestOptions: new QueryRequestOptions { MaxItemCount = take });
        while (iterator.HasMoreResults && results.Count < take)
        {
            results.AddRange(await iterator.ReadNextAsync(ct));
        }

        return results.Count > take ? results[..take] : results;
    }
}
