using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace Ndhm.IntegrationTests.Support;

/// <summary>One SMS the sandbox "sent" to a patient: the number, the text and its deep link.</summary>
public sealed record SandboxSms(string Mobile, string Text, string DeepLink);

/// <summary>
/// The sandbox SMS outbox (the patient notification port's record in the run's Cosmos database, partition
/// <c>sms-outbox:&lt;mobile&gt;</c>), for tests that assert what a patient was told.
/// </summary>
public static class SandboxSmsOutbox
{
    /// <summary>The messages to <paramref name="mobile"/>, or to everyone when it is null (a cross-partition read).</summary>
    public static async Task<List<SandboxSms>> ReadAsync(string? mobile = null)
    {
        var container = SandboxCosmos.Client.GetContainer(TestRun.CosmosDatabase, "operations");
        var query = mobile is null
            ? new QueryDefinition("SELECT * FROM c WHERE STARTSWITH(c.pk, 'sms-outbox:')")
            : new QueryDefinition("SELECT * FROM c WHERE c.pk = @pk").WithParameter("@pk", "sms-outbox:" + mobile);
        var options = mobile is null ? null : new QueryRequestOptions { PartitionKey = new PartitionKey("sms-outbox:" + mobile) };
        var messages = new List<SandboxSms>();
        using var feed = container.GetItemQueryIterator<JsonElement>(query, requestOptions: options);
        while (feed.HasMoreResults)
        {
            foreach (var item in await feed.ReadNextAsync())
                messages.Add(new SandboxSms(item.GetProperty("mobile").GetString()!, item.GetProperty("text").GetString()!, item.GetProperty("deepLink").GetString()!));
        }

        return messages;
    }

    /// <summary>
    /// The messages matching <paramref name="which"/> once at least one arrived (the notice follows the state it reports:
    /// a transaction reads closed before its patient is texted), or none after <paramref name="within"/>.
    /// </summary>
    public static async Task<List<SandboxSms>> WaitAsync(Func<SandboxSms, bool> which, TimeSpan within, string? mobile = null)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var found = (await ReadAsync(mobile)).Where(which).ToList();
            if (found.Count > 0 || DateTime.UtcNow > until) return found;
            await Task.Delay(250);
        }
    }
}
