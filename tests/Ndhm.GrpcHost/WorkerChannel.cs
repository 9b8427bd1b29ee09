using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Ndhm.GrpcHost;

/// <summary>
/// The host's end of the one bidirectional stream a language worker opens (<c>FunctionRpc.EventStream</c>):
/// the worker speaks first (<c>StartStream</c> with the worker id it was started with), then every request the
/// host sends carries a request id and the worker's answer carries the same id back. Log messages the worker sends
/// on its own (<c>RpcLog</c>) are written to the console.
/// </summary>
public sealed class WorkerChannel(ILogger<WorkerChannel> logger)
{
    private readonly Channel<StreamingMessage> outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> pending = new();
    private readonly TaskCompletionSource<string> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? ExpectedWorkerId { get; set; }

    /// <summary>Completes with the worker id when the worker has opened its stream.</summary>
    public Task<string> Started => started.Task;

    /// <summary>Completes when the worker's stream ends (it exited or was terminated).</summary>
    public Task Closed => closed.Task;

    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken ct)
    {
        if (!await fromWorker.MoveNext(ct) || fromWorker.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition, "The worker must open the stream with StartStream."));
        }

        var workerId = fromWorker.Current.StartStream.WorkerId;
        if (ExpectedWorkerId is not null && workerId != ExpectedWorkerId)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.PermissionDenied, $"Unknown worker id '{workerId}'."));
        }

        started.TrySetResult(workerId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = Task.Run(async () =>
        {
            await foreach (var message in outbound.Reader.ReadAllAsync(stop.Token))
            {
                await toWorker.WriteAsync(message, stop.Token);
            }
        }, stop.Token);
        try
        {
            while (await fromWorker.MoveNext(ct))
            {
                Dispatch(fromWorker.Current);
            }
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            // The worker went away.
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var (_, waiter) in pending)
            {
                waiter.TrySetException(new InvalidOperationException("The worker's stream ended."));
            }

            closed.TrySetResult();
            try
            {
                await writer;
            }
            catch (OperationCanceledException)
            {
                // Expected on shutdown.
            }
        }
    }

    /// <summary>Sends a request and waits for the worker's message with the same request id.</summary>
    public async Task<StreamingMessage> SendAsync(StreamingMessage request, TimeSpan timeout, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(request.RequestId))
        {
            request.RequestId = Guid.NewGuid().ToString();
        }

        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[request.RequestId] = answer;
        try
        {
            await outbound.Writer.WriteAsync(request, ct);
            return await answer.Task.WaitAsync(timeout, ct);
        }
        finally
        {
            pending.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Sends a message the worker does not answer (WorkerTerminate, InvocationCancel).</summary>
    public ValueTask PostAsync(StreamingMessage message) => outbound.Writer.WriteAsync(message);

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            Log(message.RpcLog);
            return;
        }

        if (pending.TryGetValue(message.RequestId, out var waiter))
        {
            waiter.TrySetResult(message);
            return;
        }

        logger.LogDebug("Unsolicited {Kind} from the worker", message.ContentCase);
    }

    private void Log(RpcLog log)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.Information,
        };
        // Worker logs are relayed as the host relays them, by category; the message is already the worker's
        // (which masks personal data itself).
        logger.Log(level, "[worker {Category}] {Message}{Exception}", log.Category, log.Message,
            log.Exception is null ? "" : " " + log.Exception.Message);
    }
}
