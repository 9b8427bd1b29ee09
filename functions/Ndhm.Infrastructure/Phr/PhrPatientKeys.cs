using System.Security.Cryptography;
using System.Text;
using Ndhm.HealthId.Identity;

namespace Ndhm.Infrastructure.Phr;

/// <summary>
/// Keyed hashes (HMAC-SHA256 under Health ID's identity-hash key, labelled so they match no other hash) that name a
/// patient's partition and blob folder, and a HIP for timeline filters, without storing either in the clear.
/// </summary>
public sealed class PhrPatientKeys(IHealthIdKeySource keys)
{
    public async Task<string> PatientAsync(string patientNumber, CancellationToken ct) => await HashAsync("phr-patient:" + patientNumber, ct).ConfigureAwait(false);

    /// <summary>Per patient, so equal hashes across patients do not tell that two patients visited the same HIP.</summary>
    public async Task<string> HipAsync(string patientNumber, string hipId, CancellationToken ct) =>
        await HashAsync("phr-hip:" + patientNumber + "\n" + hipId, ct).ConfigureAwait(false);

    private async Task<string> HashAsync(string labelled, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct).ConfigureAwait(false);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(labelled)));
    }
}
