using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;
using Ndhm.Core.Security.Tokens;
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
        var key = await keys.GetCurrentAsync(ct);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = key.Algorithm, ["kid"] = key.KeyId, ["typ"] = PushTokens.Type });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(AuditCanonicalJson.Serialize(payload));
        var signature = await keys.SignAsync(key, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), ct);
        var bytes = key.Algorithm == SigningAlgorithms.Es256 ? Es256Signatures.ToLowS(signature.Signature) : signature.Signature;
        return signingInput + "." + Base64Url.EncodeToString(bytes);
    }
}
