namespace Ndhm.HealthId.Kyc;

/// <summary>
/// Photographs of the sandbox's fictional KYC identities (embedded JPEGs: drawn avatars, not photos of anyone), so
/// the sandbox exercises the e-KYC photo on the ABHA card as UIDAI would supply it.
/// </summary>
public static class SandboxKycPhotos
{
    /// <summary>Base64 JPEG for Asha Verma.</summary>
    public static string Asha { get; } = Load("asha-verma.jpg");

    private static string Load(string file)
    {
        using var stream = typeof(SandboxKycPhotos).Assembly.GetManifestResourceStream($"Ndhm.HealthId.Kyc.SandboxPhotos.{file}")
            ?? throw new InvalidOperationException($"The sandbox photo {file} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Convert.ToBase64String(copy.ToArray());
    }
}
