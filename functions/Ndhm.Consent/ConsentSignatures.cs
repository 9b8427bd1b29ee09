using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Keys;

namespace Ndhm.Consent;

/// <summary>
/// Offline verification of a consent artefact or event signature against the platform's JWKS, as a HIP or HIU does
/// it: the header's <c>kid</c> names the key, the algorithm must be the key's, the payload is returned when the
/// signature verifies (null otherwise).
/// </summary>
public static class ConsentSignatures
{
    public static JsonElement? Verify(string jws, IReadOnlyList<PublicJsonWebKey> keys) =>
        Verify(jws, keys, ConsentSigner.ArtefactType, ConsentSigner.EventType);

    /// <summary>The same check for another statement the platform signs (e.g. a data-transfer push token), by its <c>typ</c>.</summary>
    public static JsonElement? Verify(string jws, IReadOnlyList<PublicJsonWebKey> keys, params string[] types) =>
        CanonicalJws.Verify(jws, types, keys);
}
