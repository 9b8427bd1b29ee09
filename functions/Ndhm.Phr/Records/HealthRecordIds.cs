using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Phr.Records;

/// <summary>Record ids: UUIDs, so anything else names nothing and is answered 404 without a lookup.</summary>
public static class HealthRecordIds
{
    public static string NewUploadId() => Guid.NewGuid().ToString();

    /// <summary>
    /// The id of a pulled record: a name-based UUID (version 8) over the patient, transaction, care context and hiType,
    /// so handing the same item over twice (a retried activity, a re-sent page) names the same record.
    /// </summary>
    public static string ForPulled(string patientNumber, string transactionId, string careContextReference, string hiType) =>
        NameBased(string.Join('\n', "ndhm-phr-pulled/1", patientNumber, transactionId, careContextReference, hiType));

    /// <summary>
    /// The id of a provider's record: a name-based UUID over the patient, facility, care context and hiType, so a retried
    /// or redelivered write names the same record.
    /// </summary>
    public static string ForProvider(string patientNumber, string hipId, string careContextReference, string hiType) =>
        NameBased(string.Join('\n', "ndhm-phr-provider/1", patientNumber, hipId, careContextReference, hiType));

    private static string NameBased(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (RFC 9562: custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant 10
        return new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>The canonical form of <paramref name="id"/>, or null when it is not a UUID.</summary>
    public static string? Normalise(string? id) => Guid.TryParse(id, out var parsed) ? parsed.ToString() : null;
}
