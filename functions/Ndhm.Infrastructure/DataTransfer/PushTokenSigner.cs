using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;
using Ndhm.DataTransfer;

namespace Ndhm.Infrastructure.DataTransfer;

/// <summary>
/// Signs the push token of one HIP in one transaction (<see cref="PushTokens"/>): a compact JWS over the canonical
/// JSON of <c>{transactionId, hipId, hiuId, consentId, exp}</c> with the platform key of the JWKS, as consent
/// artefacts are signed, so a HIU verifies it offline.
/// </summary>
public sealed class PushTokenSigner(ISigningKeys keys, DataTransferOptions options)
{
    public async Task<string> SignAsync(HiTransaction transaction, HipTransfer hip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(hip);
        var payload = JsonSerializer.SerializeToElement(new
        {
            transactionId = transaction.Id,
            hipId = hip.HipId,
            hiuId = transaction.HiuId,
            consentId = hip.ConsentArtefactId,
            exp = (transaction.CreatedAt + options.TransferLifetime).ToUnixTimeSeconds(),
        }, NdhmJson.Options);
        return await CanonicalJws.SignAsync(keys, payload, PushTokens.Type, ct);
    }
}
