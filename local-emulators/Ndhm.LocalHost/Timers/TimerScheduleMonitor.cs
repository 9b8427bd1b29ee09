using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;

namespace Ndhm.LocalHost.Timers;

/// <summary>
/// Keeps each timer's last and next occurrence in blob storage, where the Functions host keeps them
/// (<c>azure-webjobs-hosts/timers/{hostId}/{function}/status</c>), so an occurrence missed while the host was down is
/// run once, past due, when it starts again. Storage trouble never stops a timer: without a status the schedule
/// simply starts afresh. "Trouble" is any failure but cancellation: with storage down the SDK's retry policy throws an
/// <see cref="AggregateException"/> of its attempts, not a <see cref="RequestFailedException"/>, and an exception
/// escaping a timer's <c>BackgroundService</c> stops the whole host (.NET's default <c>StopHost</c>): the fault suite's
/// Azurite restart once left the host shutting down, answering no HTTP, for the rest of the cell.
/// </summary>
internal sealed class TimerScheduleMonitor(string connectionString, string hostId, ILogger<TimerScheduleMonitor> logger)
{
    public const string ContainerName = "azure-webjobs-hosts";

    private readonly BlobContainerClient container = new(connectionString, ContainerName);

    public static string BlobName(string hostId, string function) => $"timers/{hostId}/{function}/status";

    public async Task<ScheduleStatus?> ReadAsync(string function, CancellationToken ct)
    {
        try
        {
            var content = await container.GetBlobClient(BlobName(hostId, function)).DownloadContentAsync(ct);
            return content.Value.Content.ToObjectFromJson<ScheduleStatus>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Reading the schedule status of {Function} failed; starting its schedule afresh", function);
            return null;
        }
    }

    public async Task WriteAsync(string function, ScheduleStatus status, CancellationToken ct)
    {
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
            await container.GetBlobClient(BlobName(hostId, function))
                .UploadAsync(BinaryData.FromObjectAsJson(status, Json), overwrite: true, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Saving the schedule status of {Function} failed", function);
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
