using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Ndhm.LocalHost.Functions;

namespace Ndhm.LocalHost.Queues;

/// <summary>
/// Polls one queue the way the Functions host's queue listener does: receive a batch, run the function for each
/// message in its own DI scope, delete on success; on failure make the message visible again after host.json's
/// visibilityTimeout, and after maxDequeueCount attempts move it to <c>&lt;queue&gt;-poison</c>. Messages that are
/// not valid base64 go to the poison queue at once instead of breaking the receive loop. The next batch is fetched
/// as soon as the messages still running drop to newBatchThreshold, not when the whole batch is done, so one slow
/// message never holds up the ones behind it. Polling backs off (doubling) to maxPollingInterval while the queue is
/// empty. While a function runs its message's lease is renewed, so a long run is not delivered a second time.
/// Nothing in here may stop the host.
/// </summary>
internal sealed class QueueListener : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly QueueListenerOptions options;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<QueueListener> logger;
    private readonly QueueClient queue;
    private readonly QueueClient poison;

    public QueueListener(QueueListenerOptions options, IServiceScopeFactory scopes, ILogger<QueueListener> logger)
    {
        this.options = options;
        this.scopes = scopes;
        this.logger = logger;
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        clientOptions.MessageDecodingFailed += OnDecodingFailedAsync;
        queue = new QueueClient(options.ConnectionString, options.QueueName, clientOptions);
        poison = new QueueClient(options.ConnectionString, options.PoisonQueueName,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield at once so a slow or absent storage account never delays the host's start-up.
        await Task.Yield();
        var running = new List<Task>();
        logger.LogInformation("Queue trigger {Function} listening on {Queue}", options.Function.Name, options.QueueName);
        try
        {
            await PollAsync(running, stoppingToken);
        }
        finally
        {
            // Functions still running see the stopping token; a message not completed reappears after its lease.
            await Task.WhenAll(running);
        }
    }

    private async Task PollAsync(List<Task> running, CancellationToken stoppingToken)
    {
        var delay = MinPollingInterval;
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                // As the Functions host: at most batchSize + newBatchThreshold messages run at once.
                running.RemoveAll(t => t.IsCompleted);
                while (running.Count > options.NewBatchThreshold)
                {
                    await Task.WhenAny(running);
                    running.RemoveAll(t => t.IsCompleted);
                }

                QueueMessage[] messages = await queue.ReceiveMessagesAsync(options.BatchSize, options.ProcessingLease, stoppingToken);
                if (messages.Length > 0)
                {
                    // ProcessAsync catches its own failures: nothing added here can fault.
                    running.AddRange(messages.Select(m => Task.Run(() => ProcessAsync(m, stoppingToken), CancellationToken.None)));
                    delay = MinPollingInterval;
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage down, queue deleted under us...: log, back off, keep listening.
                logger.LogWarning(e, "Polling {Queue} for {Function} failed", options.QueueName, options.Function.Name);
                created = false;
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxPollingInterval.Ticks));
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Function"] = options.Function.Name,
            ["MessageId"] = message.MessageId,
            ["DequeueCount"] = message.DequeueCount,
        });
        try
        {
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                // Already failed maxDequeueCount times (e.g. the host died while the last attempt ran).
                await MoveToPoisonAsync(message, message.PopReceipt, message.Body, stoppingToken);
                return;
            }

            var lease = new MessageLease(queue, message, options.ProcessingLease, logger);
            Exception? failure = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await FunctionInvoker.InvokeAsync(options.Function, scope.ServiceProvider,
                    p => QueueMessageBinder.Bind(options.Function, p, message), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failure = e;
            }
            finally
            {
                await lease.StopAsync();
            }

            if (failure is not null)
            {
                logger.LogError(failure, "Queue function {Function} failed on attempt {Attempt} of {Max}",
                    options.Function.Name, message.DequeueCount, options.MaxDequeueCount);
                if (message.DequeueCount >= options.MaxDequeueCount)
                {
                    await MoveToPoisonAsync(message, lease.PopReceipt, message.Body, stoppingToken);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt,
                        visibilityTimeout: options.VisibilityTimeout, cancellationToken: stoppingToken);
                }

                return;
            }

            await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message reappears after its lease and is retried by the next host.
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Lease lost (the message was taken by someone else or deleted): nothing left to do with it.
            logger.LogWarning("Message {MessageId} of {Queue} was gone when completing it", message.MessageId, options.QueueName);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Completing message {MessageId} of {Queue} failed", message.MessageId, options.QueueName);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, BinaryData body, CancellationToken ct)
    {
        await poison.CreateIfNotExistsAsync(cancellationToken: ct);
        await poison.SendMessageAsync(body, cancellationToken: ct);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, ct);
        logger.LogWarning("Message {MessageId} moved to {PoisonQueue} after {DequeueCount} attempts",
            message.MessageId, options.PoisonQueueName, message.DequeueCount);
    }

    // The SDK calls this for messages that are not valid base64 and leaves them out of the received batch. The raw
    // text is kept (base64-encoded by the poison client) so an operator can read exactly what was sent.
    private async Task OnDecodingFailedAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        try
        {
            logger.LogWarning("Message {MessageId} of {Queue} is not base64; moving it to {PoisonQueue}",
                message.MessageId, options.QueueName, options.PoisonQueueName);
            await MoveToPoisonAsync(message, message.PopReceipt, message.Body, args.CancellationToken);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Moving undecodable message {MessageId} to {PoisonQueue} failed", message.MessageId, options.PoisonQueueName);
        }
    }

    /// <summary>
    /// Keeps one received message invisible while its function runs by extending its visibility at half the lease.
    /// Every renewal returns a new pop receipt, and only the newest one can complete the message.
    /// </summary>
    private sealed class MessageLease
    {
        private readonly QueueClient queue;
        private readonly string messageId;
        private readonly TimeSpan lease;
        private readonly ILogger logger;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewing;

        public MessageLease(QueueClient queue, QueueMessage message, TimeSpan lease, ILogger logger)
        {
            this.queue = queue;
            messageId = message.MessageId;
            this.lease = lease;
            this.logger = logger;
            PopReceipt = message.PopReceipt;
            renewing = RenewAsync();
        }

        public string PopReceipt { get; private set; }

        public async Task StopAsync()
        {
            await stop.CancelAsync();
            await renewing;
            stop.Dispose();
        }

        private async Task RenewAsync()
        {
            while (true)
            {
                try
                {
                    await Task.Delay(lease / 2, stop.Token);
                    // Not cancelled by StopAsync: an update applied but unanswered would leave us holding a stale receipt.
                    var renewed = await queue.UpdateMessageAsync(messageId, PopReceipt, visibilityTimeout: lease, cancellationToken: CancellationToken.None);
                    PopReceipt = renewed.Value.PopReceipt;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Storage hiccup: try again at the next half lease; if the lease is lost the message is redelivered,
                    // which is what the Functions host does too.
                    logger.LogWarning(e, "Renewing the lease of message {MessageId} failed", messageId);
                }
            }
        }
    }
}
