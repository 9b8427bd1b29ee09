using System.Text;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Identity;

namespace Ndhm.HealthId.Kyc;

/// <summary>How the Aadhaar holder was captured at the assisted counter (UIDAI's registered devices).</summary>
public enum BiometricModality
{
    Fingerprint,
    Iris,
    Face,
}

/// <summary>Error codes of biometric e-KYC.</summary>
public static class BiometricErrors
{
    public const string PidBlockInvalid = "PID_BLOCK_INVALID";
    public const string BiometricMismatch = "BIOMETRIC_MISMATCH";
    public const string BiometricDeviceError = "BIOMETRIC_DEVICE_ERROR";
    public const string BioTypeInvalid = "BIO_TYPE_INVALID";

    /// <summary>The most base64 characters a PID block may have (UIDAI's blocks are a few kilobytes; a face block the largest).</summary>
    public const int MaxPidChars = 64 * 1024;

    public static BiometricModality ParseModality(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "FINGER" or "FINGERPRINT" or "FMR" => BiometricModality.Fingerprint,
        "IRIS" or "IIR" => BiometricModality.Iris,
        "FACE" or "FID" => BiometricModality.Face,
        _ => throw new DomainException(ErrorKind.Validation, BioTypeInvalid, "Biometric type invalid",
            "bioType must be FINGERPRINT, IRIS or FACE."),
    };
}

/// <summary>
/// Port: Aadhaar biometric authentication with e-KYC. The registered device encrypts the capture for UIDAI (the PID
/// block); the platform passes it on as received and never sees, logs or stores the biometric itself. Returns the
/// KYC record and the Aadhaar hash, or throws BIOMETRIC_MISMATCH, BIOMETRIC_DEVICE_ERROR or PID_BLOCK_INVALID.
/// </summary>
public interface IAadhaarBiometricKyc
{
    Task<VerifiedKyc> AuthenticateAsync(AadhaarNumber aadhaar, BiometricModality modality, string pidBlock, CancellationToken ct);
}

/// <summary>
/// The sandbox's UIDAI for biometrics. A PID block is base64; its decoded text decides the answer (documented test
/// blocks, standing in for what a registered device would send): <c>SANDBOX-PID:MATCH</c> authenticates the holder
/// (the KYC of the Aadhaar number from <see cref="SimulatedKycProvider"/>), <c>SANDBOX-PID:DEVICE-ERROR</c> is a
/// device or capture error, anything else does not match. Unknown Aadhaar numbers are KYC_NOT_FOUND.
/// </summary>
public sealed class SimulatedAadhaarBiometricKyc(SimulatedKycProvider directory, IIdentityHasher hasher) : IAadhaarBiometricKyc
{
    public const string MatchBlock = "SANDBOX-PID:MATCH";
    public const string DeviceErrorBlock = "SANDBOX-PID:DEVICE-ERROR";

    public async Task<VerifiedKyc> AuthenticateAsync(AadhaarNumber aadhaar, BiometricModality modality, string pidBlock, CancellationToken ct)
    {
        var decoded = Decode(pidBlock);
        var record = await directory.FindAsync(aadhaar, ct).ConfigureAwait(false)
                     ?? throw new DomainException(ErrorKind.Validation, HealthIdErrors.KycNotFound, "Aadhaar not found",
                         "UIDAI has no record of this Aadhaar number.");
        return decoded switch
        {
            MatchBlock => new VerifiedKyc(record, await hasher.HashAadhaarAsync(aadhaar, ct).ConfigureAwait(false)),
            DeviceErrorBlock => throw new DomainException(ErrorKind.Validation, BiometricErrors.BiometricDeviceError,
                "Biometric device error", "The capture could not be used (device not registered, or poor quality); capture again."),
            _ => throw new DomainException(ErrorKind.Validation, BiometricErrors.BiometricMismatch, "Biometric did not match",
                "The biometric does not match this Aadhaar number's record."),
        };
    }

    private static string Decode(string pidBlock)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(pidBlock.Trim()));
        }
        catch (FormatException)
        {
            throw new DomainException(ErrorKind.Validation, BiometricErrors.PidBlockInvalid, "PID block invalid",
                "The PID block is not base64 as the registered device produces it.");
        }
    }
}
