using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;
using Ndhm.Core.Security;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.Triggers.Http;
using QRCoder;

namespace Ndhm.Triggers.HealthId;

public sealed record AbhaQrToken(string QrToken);

/// <summary>
/// The ABHA card: a PNG with name, ABHA number, preferred address, birth year, gender and a QR code whose payload is
/// a compact JWS (ES256 through <see cref="ISigningKeys"/>, <c>typ</c> <c>abha-card+jwt</c>), so a facility can verify
/// the card offline against <c>/api/.well-known/jwks.json</c>. The QR modules come from QRCoder's
/// <see cref="QRCodeGenerator"/>; the card is composed by the dependency-free <see cref="PngCanvas"/>.
/// </summary>
public sealed class AbhaCardRenderer(ISigningKeys keys, TimeProvider time)
{
    public async Task<string> SignQrPayloadAsync(AbhaAccount account, CancellationToken ct)
    {
        var key = await keys.GetCurrentAsync(ct);
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
        var signature = await keys.SignAsync(key, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), ct);
        return signingInput + "." + Base64Url.EncodeToString(signature.Signature);
    }

    public async Task<byte[]> RenderAsync(AbhaAccount account, CancellationToken ct)
    {
        var jws = await SignQrPayloadAsync(account, ct);
        using var generator = new QRCodeGenerator();
        using var qr = generator.CreateQrCode(jws, QRCodeGenerator.ECCLevel.L);
        var modules = qr.ModuleMatrix;
        var size = modules.Count;
        var moduleSize = Math.Max(2, 300 / size);
        var qrPixels = size * moduleSize;

        var width = 460 + qrPixels + 20;
        var height = Math.Max(360, qrPixels + 90);
        var canvas = new PngCanvas(width, height);
        canvas.Fill(0, 0, width, 50, 30);
        canvas.DrawText(16, 14, "ABHA - AYUSHMAN BHARAT HEALTH ACCOUNT", 3, 255);

        var y = 80;
        void Line(string label, string? value)
        {
            canvas.DrawText(16, y, label, 2, 90);
            canvas.DrawText(16, y + 20, Fit(value ?? "-", 36), 2, 0);
            y += 52;
        }

        Line("NAME", account.Name?.FullName);
        Line("ABHA NUMBER", account.AbhaNumber.Formatted);
        Line("ABHA ADDRESS", account.PreferredAbhaAddress?.Value);
        Line("YEAR OF BIRTH / GENDER", $"{account.DateOfBirth?.Year} / {account.Gender}");

        var qx = 460;
        var qy = 70;
        for (var row = 0; row < size; row++)
            for (var col = 0; col < size; col++)
                if (modules[row][col])
                    canvas.Fill(qx + col * moduleSize, qy + row * moduleSize, moduleSize, moduleSize, 0);
        return canvas.ToPng();
    }

    private static string Fit(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + ".";
}

public sealed class GetAbhaCard(AbhaAccountLookup lookup, AbhaCardRenderer renderer)
{
    [Function(nameof(GetAbhaCard))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's ABHA card as PNG, with a QR code holding a signed (JWS) card payload.", Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/account/abha-card")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await ActiveAccountAsync(lookup, req, ct);
        return new FileContentResult(await renderer.RenderAsync(account, ct), "image/png");
    }

    internal static async Task<AbhaAccount> ActiveAccountAsync(AbhaAccountLookup lookup, HttpRequest req, CancellationToken ct)
    {
        var account = (await lookup.RequireAsync(HealthIdHttp.PatientNumber(req.Caller()), ct)).Document;
        if (account.Status == AbhaStatus.Deleted)
            throw new DomainException(ErrorKind.Gone, HealthIdErrors.AccountDeleted, "ABHA deleted", "This ABHA number is retired.");
        return account;
    }
}

public sealed class GetAbhaQrToken(AbhaAccountLookup lookup, AbhaCardRenderer renderer)
{
    [Function(nameof(GetAbhaQrToken))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The signed card payload (compact JWS) that the ABHA card's QR code carries.",
        Response = typeof(AbhaQrToken), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v3/profile/account/qr-token")] HttpRequest req,
        CancellationToken ct)
    {
        var account = await GetAbhaCard.ActiveAccountAsync(lookup, req, ct);
        return new OkObjectResult(new AbhaQrToken(await renderer.SignQrPayloadAsync(account, ct)));
    }
}
