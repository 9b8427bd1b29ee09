using System.Collections.Concurrent;
using System.Net;

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
