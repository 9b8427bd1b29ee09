namespace Ndhm.LocalKeyVault;

/// <summary>
/// Command-line settings: <c>--data-dir</c>, <c>--token</c>, <c>--signing-key</c>, <c>--wrapping-key</c>,
/// <c>--abha-encryption-key</c>. The initial keys are created on start when missing, with the key_ops Bicep gives them.
/// </summary>
public sealed record LocalVaultSettings(string DataDirectory, string Token, IReadOnlyList<(string Name, string Kty, IReadOnlyList<string> Ops)> InitialKeys)
{
    public static LocalVaultSettings From(IConfiguration configuration)
    {
        var dataDirectory = Path.GetFullPath(configuration["data-dir"] ?? Path.Combine(".sandbox", "keyvault"));
        var token = configuration["token"] is { Length: > 0 } t ? t : "sandbox";
        var signing = configuration["signing-key"] ?? "ndhm-signing";
        var wrapping = configuration["wrapping-key"] ?? "ndhm-wrapping";
        var abhaEncryption = configuration["abha-encryption-key"] ?? "ndhm-abha-encryption";
        return new LocalVaultSettings(dataDirectory, token,
            [(signing, "EC", KeyRoutes.SigningOps), (wrapping, "RSA", KeyRoutes.AllRsaOps), (abhaEncryption, "RSA", KeyRoutes.EncryptionOps)]);
    }
}
