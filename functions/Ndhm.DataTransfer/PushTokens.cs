namespace Ndhm.DataTransfer;

/// <summary>
/// The push token: a compact JWS the platform adds to each <c>hip/request</c> (field <c>pushToken</c>, beside ABDM's
/// fields), signed with the platform key of its JWKS (<c>typ</c> <see cref="Type"/>), payload
/// <c>{transactionId, hipId, hiuId, consentId, exp}</c>. The HIP sends it as <c>Authorization: Bearer</c> on every
/// page it pushes; the HIU verifies it offline, so a page is accepted only from a HIP of that transaction.
/// </summary>
public static class PushTokens
{
    public const string Type = "ndhm-hi-push+jws";
    public const string Field = "pushToken";
}
