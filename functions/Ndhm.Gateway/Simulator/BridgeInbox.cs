namespace Ndhm.Gateway.Simulator;

/// <summary>One request a simulated partner bridge received (sandbox only).</summary>
public sealed record ReceivedCallback(string Id, string Bridge, string Path, DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the sandbox's sample bridges (hip, hiu, pharmacy) received, newest first.</summary>
public interface IBridgeInbox
{
    Task RecordAsync(ReceivedCallback callback, CancellationToken ct);

    Task<IReadOnlyList<ReceivedCallback>> ListAsync(string bridge, int max, CancellationToken ct);
}
