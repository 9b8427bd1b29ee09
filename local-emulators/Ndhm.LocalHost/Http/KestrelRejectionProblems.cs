using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Ndhm.Core.Errors;

namespace Ndhm.LocalHost.Http;

/// <summary>
/// Gives the requests Kestrel refuses before any app code runs (a <c>%00</c> in the path, a request line over Kestrel's
/// own limit, headers too large, a malformed request line) a problem+json body with a stable code instead of Kestrel's
/// empty one. Kestrel offers no hook for these responses (the maintainers' answer: "this category of errors is not
/// customisable", aspnet/KestrelHttpServer#2947), so this sits one level lower, as connection middleware on the
/// transport's output: a response Kestrel itself produced for a rejected request is recognised by its shape (status
/// 400, 414 or 431, <c>Content-Length: 0</c>, <c>Connection: close</c>, headers only: the app never answers an error
/// without a problem body) and rewritten with the body. Everything else passes through unchanged (one copy per flush).
/// Local host only; in Azure the Functions front end answers such requests itself (see README, "Security").
/// </summary>
public static class KestrelRejectionProblems
{
    public static void Use(KestrelServerOptions options) =>
        options.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            var rewriting = new RewritingWriter(transport.Output);
            connection.Transport = new DuplexPipe(transport.Input, rewriting);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        }));

    /// <summary>The response with a problem body when <paramref name="response"/> is a Kestrel rejection, else null.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> response)
    {
        if (response.Length > 2048 || !response.StartsWith("HTTP/1.1 "u8) || !response.EndsWith("\r\n\r\n"u8)) return null;
        var text = Encoding.ASCII.GetString(response);
        if (!text.Contains("\r\nContent-Length: 0\r\n", StringComparison.OrdinalIgnoreCase)
            || !text.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase)
            || text.Contains("\r\nContent-Type:", StringComparison.OrdinalIgnoreCase))
            return null;
        var (status, code, title, detail) = text.AsSpan(9, 3) switch
        {
            "400" => (400, ErrorCodes.InvalidRequest, "The request could not be read.",
                "The server refused the request line or headers before reading it (for example a %00 in the path, or a malformed request line)."),
            "414" => (414, ErrorCodes.UriTooLong, "The request line is too long.",
                $"At most {RequestLineLimit.MaxRequestLineBytes} bytes are accepted."),
            "431" => (431, "REQUEST_HEADERS_TOO_LARGE", "The request headers are too large.", "Send fewer or shorter headers."),
            _ => (0, "", "", ""),
        };
        if (status == 0) return null;
        var requestId = Guid.NewGuid().ToString();
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "urn:ndhm:problem:" + code.ToLowerInvariant().Replace('_', '-'),
            ["title"] = title,
            ["status"] = status,
            ["code"] = code,
            ["detail"] = detail,
            ["requestId"] = requestId,
        });
        var headers = text[..^2].Replace("\r\nContent-Length: 0\r\n", "\r\n", StringComparison.OrdinalIgnoreCase);
        var rewritten = headers + $"Content-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nREQUEST-ID: {requestId}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(rewritten), .. body];
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }

    /// <summary>Buffers each flush's bytes, rewrites a rejection, and hands them to the transport.</summary>
    private sealed class RewritingWriter(PipeWriter inner) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> pending = new(4096);

        public override void Advance(int bytes) => pending.Advance(bytes);

        // Kestrel's serializers ask how much is buffered (System.Text.Json flushes by it).
        public override bool CanGetUnflushedBytes => true;

        public override long UnflushedBytes => pending.WrittenCount;

        public override Memory<byte> GetMemory(int sizeHint = 0) => pending.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => pending.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Drain();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            Drain();
            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Drain();
            return inner.FlushAsync(cancellationToken);
        }

        private void Drain()
        {
            if (pending.WrittenCount == 0) return;
            var written = pending.WrittenSpan;
            var rewritten = Rewrite(written);
            inner.Write(rewritten ?? written);
            pending.ResetWrittenCount();
        }
    }
}
