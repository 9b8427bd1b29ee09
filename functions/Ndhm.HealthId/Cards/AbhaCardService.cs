using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Keys;
using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Cards;

/// <summary>A printed card and the media type it comes as.</summary>
public sealed record PrintedAbhaCard(byte[] Content, AbhaCardFormat Format)
{
    public string MediaType => Format.MediaType();
}

/// <summary>
/// The ABHA card: what goes on it (<see cref="AbhaCard.From"/>), the QR payload, and the printing through
/// <see cref="IAbhaCardPrinter"/>. The QR holds a compact JWS (ES256 through <see cref="ISigningKeys"/>, <c>typ</c>
/// <c>abha-card+jwt</c>; claims <c>hidn</c>, <c>hid</c>, <c>name</c>, <c>gender</c>, <c>yob</c>, <c>iat</c>), so a
/// facility can verify a card offline against <c>/api/.well-known/jwks.json</c>.
/// </summary>
public sealed class AbhaCardService(ISigningKeys keys, IAbhaCardPrinter printer, TimeProvider time)
{
    public async Task<string> SignQrPayloadAsync(AbhaAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.EnsureNotDeleted();
        var key = await keys.GetCurrentAsync(ct).ConfigureAwait(false);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["alg"] = key.Algorithm, ["kid"] = key.KeyId, ["typ"] = "abha-card+jwt",
        });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["hidn"] = account.AbhaNumber.Formatted,
            ["hid"] = account.PreferredAbhaAddress?.Value,
            ["name"] = account.Name?.FullName,
            ["gender"] = account.Gender?.ToString(),
            ["yob"] = account.DateOfBirth?.Year,
            ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(),
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = await keys.SignAsync(key, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), ct).ConfigureAwait(false);
        return signingInput + "." + Base64Url.EncodeToString(signature.Signature);
    }

    /// <summary>The card of <paramref name="account"/> as <paramref name="format"/>; a deleted account has none (ACCOUNT_DELETED).</summary>
    public async Task<PrintedAbhaCard> PrintAsync(AbhaAccount account, AbhaCardFormat format, CancellationToken ct)
    {
        var card = AbhaCard.From(account, await SignQrPayloadAsync(account, ct).ConfigureAwait(false));
        return new PrintedAbhaCard(printer.Print(card, format), format);
    }
}
