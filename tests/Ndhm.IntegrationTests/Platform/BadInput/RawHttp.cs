using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Ndhm.IntegrationTests.Platform.BadInput;

/// <summary>
/// One HTTP/1.1 request over a plain socket of its own, sent exactly as given (no client-side path canonicalisation),
/// that keeps reading while it writes: a server may answer 413 and close while a large body is still being sent, and
/// HttpClient then reports only the broken pipe, never the answer.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string? MediaType, string Body);

    /// <returns>The answer, or null when the server closed without one.</returns>
    public static async Task<Answer?> SendAsync(int port, HttpMethod method, string pathAndQuery, IReadOnlyDictionary<string, string> headers,
        byte[]? body, bool chunked, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, ct);
        var stream = client.GetStream();
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method.Method} /{pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        if (body is not null) head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        head.Append("\r\n");
        body ??= [];

        var received = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, ct)) > 0) received.Write(buffer, 0, read);
            }
            catch (IOException)
            {
                // Reset after the answer: what arrived is kept.
            }
        }, ct);

        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
            const int piece = 64 * 1024;
            for (var offset = 0; offset < body.Length && !reading.IsCompleted; offset += piece)
            {
                var length = Math.Min(piece, body.Length - offset);
                if (chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), ct);
                await stream.WriteAsync(body.AsMemory(offset, length), ct);
                if (chunked) await stream.WriteAsync("\r\n"u8.ToArray(), ct);
            }

            if (chunked && !reading.IsCompleted) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        }
        catch (IOException)
        {
            // The server stopped reading (it has answered, or is closing): read what it sent.
        }

        await reading.WaitAsync(ct);
        return Parse(received.ToArray());
    }

    private static Answer? Parse(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new StringBuilder();
            var rest = body;
            while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var at and > 0
                   && int.TryParse(rest[..at], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) && size > 0)
            {
                decoded.Append(rest.AsSpan(at + 2, Math.Min(size, rest.Length - at - 2)));
                rest = rest[Math.Min(rest.Length, at + 2 + size + 2)..];
            }

            body = decoded.ToString();
        }

        var mediaType = headers.TryGetValue("Content-Type", out var type) ? type.Split(';')[0].Trim() : null;
        return new Answer(status, mediaType, body);
    }
}
