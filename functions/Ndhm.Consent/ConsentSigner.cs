using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Consent;

/// <summary>
/// Signs artefacts and status events: a compact JWS (RFC 7515) whose payload is the JSON Canonicalization Scheme form
/// (RFC 8785) of the statement (<see cref="CanonicalJws"/>), signed by the platform's Key Vault key
/// (<see cref="ISigningKeys"/>), header <c>alg</c>, <c>kid</c> (the versioned key id listed by
/// <c>/api/.well-known/jwks.json</c>) and <c>typ</c>. Anyone holding the JWKS verifies it offline.
/// </summary>
public sealed class ConsentSigner(ISigningKeys keys)
{
    public const string ArtefactType = "ndhm-consent+jws";
    public const string EventType = "ndhm-consent-event+jws";

    public async Task<SignedArtefact> SignAsync(ConsentArtefactDetail detail, CancellationToken ct) =>
        new(detail, await SignAsync(JsonSerializer.SerializeToElement(detail, NdhmJson.Options), ArtefactType, ct));

    public Task<string> SignEventAsync(string consentRequestId, int seq, ConsentStatus status, DateTimeOffset at, IReadOnlyList<string> artefactIds,
        CancellationToken ct) =>
        SignAsync(JsonSerializer.SerializeToElement(new
        {
            consentRequestId,
            seq,
            status = ConsentStatuses.Name(status),
            at,
            consentArtefacts = artefactIds,
        }, NdhmJson.Options), EventType, ct);

    private Task<string> SignAsync(JsonElement payload, string type, CancellationToken ct) => CanonicalJws.SignAsync(keys, payload, type, ct);
}
