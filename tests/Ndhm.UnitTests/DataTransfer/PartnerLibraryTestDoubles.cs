using System.Collections.Concurrent;
using System.Net;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hiu;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>A HIU's push endpoint that keeps every pushed body and answers 202 (the HTTP hop of the partner-library tests).</summary>
internal class CapturingPushHandler : HttpMessageHandler
{
    public ConcurrentQueue<string> Bodies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Bodies.Enqueue(await request.Content!.ReadAsStringAsync(cancellationToken));
        return new HttpResponseMessage(HttpStatusCode.Accepted);
    }
}

/// <summary>The HIU's transfer contexts holding one transaction.</summary>
internal sealed class OneTransactionContexts(HiuTransferContext context) : IHiuTransferContexts
{
    public Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct) =>
        Task.FromResult(transactionId == context.TransactionId ? context : null);
}

/// <summary>A record sink that keeps what the HIU accepted, in order.</summary>
internal sealed class QueueRecordSink(ConcurrentQueue<DecryptedHealthRecord> stored) : IDecryptedRecordSink
{
    public Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct)
    {
        stored.Enqueue(record);
        return Task.CompletedTask;
    }
}
