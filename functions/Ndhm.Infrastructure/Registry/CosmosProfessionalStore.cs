using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;
using Ndhm.Registry;
using Ndhm.Registry.Professionals;

namespace Ndhm.Infrastructure.Registry;

/// <summary>
/// Professionals in Cosmos, plus create-only claim documents that make a council registration and an HPR address
/// unique across the registry (no transactions needed: a claim is written before the professional and names it).
/// </summary>
public sealed class CosmosProfessionalStore(CosmosClient client, CosmosSettings settings, TimeProvider time, FieldCipher cipher) : IProfessionalStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Registry.Name);

    public Task<bool> TryClaimCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct) =>
        ClaimAsync(CouncilKey(council, registrationNumber), RegistryDocTypes.CouncilClaim, owner, ct);

    public Task<bool> TryClaimAddressAsync(string hprAddress, HprId owner, CancellationToken ct) =>
        ClaimAsync(AddressKey(hprAddress), RegistryDocTypes.AddressClaim, owner, ct);

    public async Task ReleaseCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct)
    {
        var id = ClaimId(CouncilKey(council, registrationNumber), RegistryDocTypes.CouncilClaim);
        if (await RegistryCosmos.TryReadAsync<ClaimDocument>(Container, id, id, ct) is not { } held || held.Value.Owner != owner.Value)
        {
            return;
        }

        // False when taken over or released meanwhile: either way it is no longer this owner's to release.
        await CosmosDocuments.TryDeleteAsync(Container, id, id, held.ETag, ct);
    }

    public async Task<string?> TryCreateAsync(Professional professional, CancellationToken ct) =>
        await RegistryCosmos.TryCreateAsync(Container, await DocumentAsync(professional, ct), ct);

    public async Task<Versioned<Professional>?> FindAsync(HprId id, CancellationToken ct) =>
        await RegistryCosmos.TryReadAsync<ProfessionalDocument>(Container, id.Value, ProfessionalDocument.PartitionOf(id), ct) is { } found
            ? new Versioned<Professional>(await ProfessionalAsync(found.Value, ct), found.ETag)
            : null;

    public async Task<string> ReplaceAsync(Professional professional, string ifMatch, CancellationToken ct) =>
        await RegistryCosmos.ReplaceAsync(Container, await DocumentAsync(professional, ct), ifMatch, RegistryErrors.NoSuchProfessional, ct);

    public async Task<IReadOnlyList<Professional>> QueryAsync(ProfessionalQuery query, string? afterId, int take, CancellationToken ct)
    {
        var documents = await new RegistrySearch(RegistryDocTypes.Professional)
            .Where("CONTAINS(c.nameFolded, @name)", "@name", query.NameContains)
            .Where("ARRAY_CONTAINS(c.specialtiesFolded, @specialty)", "@specialty", query.Specialty)
            .Where("ARRAY_CONTAINS(c.languagesFolded, @language)", "@language", query.Language)
            .Where("ARRAY_CONTAINS(c.facilityIds, @facility)", "@facility", query.Facility?.Value)
            .Where("c.professional.category = @category", "@category", query.Category)
            .Where("c.professional.verified = @verified", "@verified", query.Verified)
            .WhereStatus("c.professional.deactivation", query.Status)
            .RunAsync<ProfessionalDocument>(Container, afterId, take, ct);
        // Searches show the public register only: no personal details, so no data keys are unwrapped for them.
        return documents.Select(d => d.Professional).ToList();
    }

    private async Task<ProfessionalDocument> DocumentAsync(Professional professional, CancellationToken ct)
    {
        if (professional.Personal is not { } personal)
        {
            return ProfessionalDocument.From(professional, null);
        }

        var (scope, id) = (ProfessionalPersonalFields.ScopeOf(professional.Id), professional.Id.Value);
        return ProfessionalDocument.From(professional, new ProfessionalPersonalDocument(
            await cipher.EncryptOptionalAsync(scope, id, ProfessionalPersonalFields.Mobile, personal.Mobile, ct),
            await cipher.EncryptOptionalAsync(scope, id, ProfessionalPersonalFields.Email, personal.Email, ct),
            await cipher.EncryptOptionalAsync(scope, id, ProfessionalPersonalFields.DateOfBirth,
                personal.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct)));
    }

    private async Task<Professional> ProfessionalAsync(ProfessionalDocument document, CancellationToken ct)
    {
        if (document.Personal is not { } stored)
        {
            return document.Professional;
        }

        var (scope, id) = (ProfessionalPersonalFields.ScopeOf(document.Professional.Id), document.Id);
        try
        {
            var birth = await cipher.DecryptOrPlaintextAsync(scope, id, ProfessionalPersonalFields.DateOfBirth, stored.DateOfBirth, ct);
            return document.Professional with
            {
                Personal = new ProfessionalPersonal(
                    await cipher.DecryptOrPlaintextAsync(scope, id, ProfessionalPersonalFields.Mobile, stored.Mobile, ct),
                    await cipher.DecryptOrPlaintextAsync(scope, id, ProfessionalPersonalFields.Email, stored.Email, ct),
                    birth is null ? null : DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            };
        }
        catch (DomainException e) when (e.Code == PrivacyErrors.SubjectErased)
        {
            // Their personal details were erased (the key destroyed); the public register entry stands.
            return document.Professional;
        }
    }

    /// <summary>
    /// A claim left behind when the professional write failed after it (the process died, Cosmos went away, an update
    /// lost an ETag race) would block that council registration or address forever. A claim whose owner does not
    /// exist or no longer holds the claimed value, and that is older than this, is taken over; younger ones may
    /// belong to a registration or update still in flight.
    /// </summary>
    public static readonly TimeSpan OrphanedClaimAge = TimeSpan.FromMinutes(2);

    private async Task<bool> ClaimAsync(string key, string docType, HprId owner, CancellationToken ct)
    {
        var id = ClaimId(key, docType);
        var claim = new ClaimDocument(id, id, docType, key, owner.Value, time.GetUtcNow());
        // Twice: a claim released between our create and our read is simply created again.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await RegistryCosmos.TryCreateAsync(Container, claim, ct) is not null)
            {
                return true;
            }

            if (await RegistryCosmos.TryReadAsync<ClaimDocument>(Container, id, id, ct) is not { } existing)
            {
                continue;
            }

            if (existing.Value.Owner == owner.Value)
            {
                return true;
            }

            if (!await IsOrphanAsync(existing.Value, ct))
            {
                return false;
            }

            var (taken, status) = await CosmosDocuments.TryReplaceAsync(Container, claim, id, id, existing.ETag, ct);
            if (taken is not null)
            {
                return true;
            }

            if (status == HttpStatusCode.PreconditionFailed)
            {
                return false; // someone else took it over first
            }

            // released meanwhile: create it
        }

        return false;
    }

    private async Task<bool> IsOrphanAsync(ClaimDocument held, CancellationToken ct)
    {
        if (time.GetUtcNow() - held.ClaimedAt < OrphanedClaimAge || !HprId.TryParse(held.Owner, out var holderId))
        {
            return false;
        }

        var holder = (await FindAsync(holderId, ct))?.Value;
        var stillHeld = holder is not null && held.Key == (held.DocType == RegistryDocTypes.CouncilClaim
            ? CouncilKey(holder.Council, holder.RegistrationNumber)
            : AddressKey(holder.HprAddress));
        return !stillHeld;
    }

    // The id is a hash of the claimed key: keys hold spaces, '/' and '%' that Cosmos ids or their URLs do not
    // carry safely (the emulator URL-decodes ids on replace), and a hash also bounds the length.
    private static string ClaimId(string key, string docType) =>
        docType + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string CouncilKey(string council, string registrationNumber) => $"council:{Key(council)}:{Key(registrationNumber)}";

    private static string AddressKey(string hprAddress) => "hpr-address:" + hprAddress.ToLowerInvariant();

    private static string Key(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
