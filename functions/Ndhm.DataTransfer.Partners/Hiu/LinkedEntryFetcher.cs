using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Ndhm.DataTransfer.Partners.Hiu;

/// <summary>The encrypted content behind a link entry (ABDM <c>EntryLink</c>), or why it could not be had.</summary>
public sealed class LinkedEntryContent : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    private LinkedEntryContent(byte[]? buffer, int length, string? error)
    {
        _buffer = buffer;
        _length = length;
        Error = error;
    }

    /// <summary>Null when fetched; otherwise why not (the entry becomes ERRORED with it).</summary>
    public string? Error { get; }

    /// <summary>The fetched body: the base64 (UTF-8) of the entry's ciphertext, as an inline <c>content</c> would carry it.</summary>
    public ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, _length);

    public static LinkedEntryContent Failed(string error) => new(null, 0, error);

    /// <summary>Takes <paramref name="pooledBuffer"/> (rented from the shared pool) and gives it back on dispose.</summary>
    public static LinkedEntryContent Fetched(byte[] pooledBuffer, int length) => new(pooledBuffer, length, null);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer) ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
    }
}

/// <summary>Fetches a link entry's content for <see cref="HiuDataReceiver"/>. Never throws for a bad link: it answers why.</summary>
public interface ILinkedEntryFetcher
{
    Task<LinkedEntryContent> FetchAsync(string link, CancellationToken ct);
}

public sealed class LinkedEntryFetcherOptions
{
    /// <summary>The largest body fetched (the HIU's store takes bundles up to 10 MiB); a longer one is aborted as it streams.</summary>
    public int MaxBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The whole fetch (connect, headers, body, redirects).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Redirects followed, and only to the link's own scheme, host and port.</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>
    /// Sandbox only: links to this machine's loopback addresses are fetched, over http too (the sample HIPs listen on
    /// http://localhost). Private, link-local and metadata addresses stay refused.
    /// </summary>
    public bool AllowLoopbackForSandbox { get; init; }
}

/// <summary>
/// A link fetcher safe to point at URLs a HIP chose (server-side request forgery): https only (http only to loopback
/// with <see cref="LinkedEntryFetcherOptions.AllowLoopbackForSandbox"/>), no user info, the host resolved and every
/// address checked (<see cref="LinkAddressPolicy"/>: private, loopback, link-local, cloud metadata and other
/// non-public addresses refused), the connection made only to a checked address (a second DNS answer cannot swap in
/// another: no rebinding), no proxy, redirects followed only to the same scheme, host and port, the body streamed and
/// aborted above <see cref="LinkedEntryFetcherOptions.MaxBytes"/>, all within <see cref="LinkedEntryFetcherOptions.Timeout"/>.
/// </summary>
public sealed class LinkedEntryFetcher : ILinkedEntryFetcher, IDisposable
{
    private readonly LinkedEntryFetcherOptions _options;
    private readonly HttpMessageInvoker _http;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public LinkedEntryFetcher(LinkedEntryFetcherOptions? options = null) : this(options, null, null)
    {
    }

    /// <summary>
    /// With another transport below the checks (<paramref name="handler"/>, e.g. a test stub; it must not follow
    /// redirects itself) and resolver (<paramref name="resolve"/>, DNS by default). The scheme, address, redirect,
    /// size and time checks are made here, above the handler; the default handler also connects only to checked addresses.
    /// </summary>
    public LinkedEntryFetcher(LinkedEntryFetcherOptions? options, HttpMessageHandler? handler, Func<string, CancellationToken, Task<IPAddress[]>>? resolve)
    {
        _options = options ?? new LinkedEntryFetcherOptions();
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
        _http = new HttpMessageInvoker(handler ?? CheckedSocketsHandler(), disposeHandler: true);
    }

    public async Task<LinkedEntryContent> FetchAsync(string link, CancellationToken ct)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri)) return LinkedEntryContent.Failed("The link is not an absolute URL.");
        var origin = uri;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (await RefusalAsync(uri, timeout.Token) is { } refused) return LinkedEntryContent.Failed(refused);
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                using var response = await _http.SendAsync(request, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    if (!SameOrigin(origin, next)) return LinkedEntryContent.Failed($"The link redirects to another host ({next.Scheme}://{next.Authority}); not followed.");
                    if (redirects >= _options.MaxRedirects) return LinkedEntryContent.Failed($"The link redirects more than {_options.MaxRedirects} times.");
                    uri = next;
                    continue;
                }

                if (!response.IsSuccessStatusCode) return LinkedEntryContent.Failed($"The link answered {status}.");
                if (response.Content.Headers.ContentLength > _options.MaxBytes) return TooLarge();
                return await ReadCappedAsync(response.Content, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return LinkedEntryContent.Failed($"The link did not answer within {_options.Timeout.TotalMilliseconds:0} ms.");
        }
        catch (HttpRequestException e)
        {
            return LinkedEntryContent.Failed("The link could not be fetched: " + e.Message);
        }
        catch (SocketException e)
        {
            return LinkedEntryContent.Failed("The link's host could not be resolved or reached: " + e.Message);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<string?> RefusalAsync(Uri uri, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "The link carries user info; refused.";
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return $"The link's scheme {uri.Scheme} is not https; refused.";
        var addresses = await AddressesAsync(uri.IdnHost, ct);
        if (addresses.Length == 0) return $"The link's host {uri.Host} does not resolve.";
        if (addresses.FirstOrDefault(a => LinkAddressPolicy.IsRefused(a, _options.AllowLoopbackForSandbox)) is { } bad)
            return $"The link's host {uri.Host} is at {bad}, a private, loopback, link-local, metadata or otherwise non-public address; refused.";
        if (uri.Scheme == Uri.UriSchemeHttp && !(_options.AllowLoopbackForSandbox && addresses.All(IPAddress.IsLoopback)))
            return "The link is not https; refused (plain http only to loopback in a sandbox).";
        return null;
    }

    private async Task<IPAddress[]> AddressesAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolve(host, ct);

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private LinkedEntryContent TooLarge() => LinkedEntryContent.Failed($"The linked content is larger than {_options.MaxBytes} bytes; not fetched.");

    private async Task<LinkedEntryContent> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > _options.MaxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                        return TooLarge();
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) break;
                length += read;
                if (length > _options.MaxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    return TooLarge();
                }
            }

            return LinkedEntryContent.Fetched(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }

    // The connection goes only to an address that passed the policy: the name is resolved here again and every answer
    // checked, so a DNS answer that changed since the check (rebinding) cannot reach a private address.
    private SocketsHttpHandler CheckedSocketsHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        MaxResponseHeadersLength = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await AddressesAsync(context.DnsEndPoint.Host, ct);
            if (addresses.Length == 0 || addresses.Any(a => LinkAddressPolicy.IsRefused(a, _options.AllowLoopbackForSandbox)))
                throw new HttpRequestException($"The host {context.DnsEndPoint.Host} resolves to a refused address.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>
/// Which addresses a link may point at: public unicast only. Refused: unspecified, loopback (unless allowed for the
/// sandbox), private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade NAT (100.64/10, where some clouds' metadata
/// lives), link-local (169.254/16 with the 169.254.169.254 metadata service, fe80::/10), Azure's host address
/// 168.63.129.16, multicast, broadcast and reserved, documentation and benchmarking ranges, and IPv6 forms that embed
/// an IPv4 address (mapped, NAT64, 6to4, Teredo, compatible) unless the embedded address passes.
/// </summary>
public static class LinkAddressPolicy
{
    public static bool IsRefused(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IPAddress.IsLoopback(address)) return !allowLoopback;
        if (address.IsIPv4MappedToIPv6) return IsRefused(address.MapToIPv4(), allowLoopback);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsRefusedV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsRefusedV6(address, allowLoopback),
            _ => true,
        };
    }

    private static bool IsRefusedV4(byte[] b) =>
        b[0] is 0 or 10 or 127 || b[0] >= 224                         // this network, private, loopback, multicast, reserved, broadcast
        || (b[0] == 100 && b[1] is >= 64 and <= 127)                  // carrier-grade NAT
        || (b[0] == 169 && b[1] == 254)                               // link-local, metadata
        || (b[0] == 172 && b[1] is >= 16 and <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)               // IETF protocol assignments, TEST-NET-1
        || (b[0] == 198 && b[1] is 18 or 19)                          // benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)                 // TEST-NET-2
        || (b[0] == 203 && b[1] == 0 && b[2] == 113)                  // TEST-NET-3
        || (b[0] == 168 && b[1] == 63 && b[2] == 129 && b[3] == 16);  // Azure host (wireserver)

    private static bool IsRefusedV6(IPAddress address, bool allowLoopback)
    {
        var b = address.GetAddressBytes();
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || address.IsIPv6Teredo) return true;
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return true;                       // ::, ::a.b.c.d (compatible)
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;       // 2001:db8::/32 documentation
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)                    // 64:ff9b::/96 NAT64
            return IsRefused(new IPAddress(b.AsSpan(12, 4)), allowLoopback);
        if (b[0] == 0x20 && b[1] == 0x02)                                                     // 2002::/16 6to4
            return IsRefused(new IPAddress(b.AsSpan(2, 4)), allowLoopback);
        return false;
    }
}
