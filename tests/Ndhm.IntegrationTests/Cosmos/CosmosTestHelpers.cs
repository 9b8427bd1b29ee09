using Microsoft.Azure.Cosmos;

namespace Ndhm.IntegrationTests.Cosmos;

internal static class CosmosTestHelpers
{
    public static async Task<List<T>> ReadAllAsync<T>(this FeedIterator<T> iterator)
    {
        var results = new List<T>();
        using (iterator)
        {
            while (iterator.HasMoreResults)
            {
                results.AddRange(await iterator.ReadNextAsync());
            }
        }

        return results;
    }

    public static async Task SeedAsync(this Container container, IEnumerable<TestItem> items)
    {
        foreach (var item in items)
        {
            await container.CreateItemAsync(item, new PartitionKey(item.Pk));
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }
    }
}
