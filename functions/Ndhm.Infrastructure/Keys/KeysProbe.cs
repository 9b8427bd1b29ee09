using System.Diagnostics;
using Ndhm.Core.Health;

namespace Ndhm.Infrastructure.Keys;

/// <summary>Health probe: can the signing key be read within <see cref="KeyVaultOptions.ProbeTimeout"/>?</summary>
public sealed class KeysProbe(KeyVaultKeysClient client, KeyVaultOptions options) : IDependencyProbe
{
    public string Name => "keys";

    public async Task<ProbeResult> CheckAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ProbeTimeout);
        try
        {
            await client.GetKeyAsync(options.SigningKeyName, null, timeout.Token);
            return new ProbeResult(Name, true, watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (e is OperationCanceledException || KeyVaultFailures.IsDependencyFailure(e, timeout.Token)))
        {
            return new ProbeResult(Name, false, watch.ElapsedMilliseconds, KeyVaultFailures.Describe(e));
        }
    }
}
