using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Encryption;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// The one place the Health ID functions read the fields ABDM v3 clients RSA-encrypt (<c>loginId</c>,
/// <c>authData.otp.otpValue</c>, and the mobile numbers we take in their own fields): each is accepted in plain text
/// or as base64 RSA-OAEP ciphertext made with the key of <c>v3/profile/public/certificate</c>
/// (<see cref="AbhaFieldEncryption"/>). A value that looks encrypted and does not decrypt is 400
/// <c>ENCRYPTED_VALUE_INVALID</c>. The plaintext is only handed to the function; nothing here logs it.
/// </summary>
public sealed class SensitiveFields(AbhaFieldEncryption encryption)
{
    /// <summary>The required <c>loginId</c> of an OTP request, decrypted when encrypted.</summary>
    public Task<string> LoginIdAsync(OtpRequest body, CancellationToken ct) => RequireAsync(body.LoginId, "loginId", ct);

    /// <summary>A required field that ABDM may send encrypted, decrypted when it is.</summary>
    public Task<string> RequireAsync(string? value, string field, CancellationToken ct) =>
        encryption.RevealAsync(HealthIdHttp.Require(value, field), field, ct);

    /// <summary>The required <c>authData.otp</c> (txnId and otpValue), with otpValue and mobile decrypted when encrypted.</summary>
    public async Task<OtpAuth> OtpAsync(AuthData? authData, CancellationToken ct)
    {
        if (authData?.Otp is not { } otp)
            throw HealthIdHttp.Invalid(ErrorCodes.InvalidRequest, "authData.otp (txnId and otpValue) is required.");
        if (authData.AuthMethods is { Count: > 0 } methods && !methods.Contains("otp", StringComparer.OrdinalIgnoreCase))
            throw HealthIdHttp.Invalid(ErrorCodes.InvalidRequest, "authData.authMethods must include otp.");
        var txnId = HealthIdHttp.Require(otp.TxnId, "authData.otp.txnId");
        var otpValue = await RequireAsync(otp.OtpValue, "authData.otp.otpValue", ct);
        var mobile = string.IsNullOrWhiteSpace(otp.Mobile) ? null : await RequireAsync(otp.Mobile, "authData.otp.mobile", ct);
        return new OtpAuth(txnId, otpValue, mobile);
    }

    /// <summary>
    /// The <c>authData.otp</c> that confirms a deactivation or deletion. A request without a body (as these calls
    /// were before the OTP step existed) is told what is missing, not that its content type is wrong.
    /// </summary>
    public async Task<OtpAuth> ReadConfirmationAsync(HttpRequest req, CancellationToken ct)
    {
        var body = req.HasBody() ? await req.ReadJsonAsync<AccountConfirmationRequest>(ct) : null;
        return await OtpAsync(body?.AuthData, ct);
    }
}

/// <summary>ABDM's <c>v3/profile/public/certificate</c> answer.</summary>
public sealed record PublicCertificateResponse(string PublicKey, string EncryptionAlgorithm);
