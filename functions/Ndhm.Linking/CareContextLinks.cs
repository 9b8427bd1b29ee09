using System.Text.Json.Serialization;

namespace Ndhm.Linking;

public enum LinkSource
{
    /// <summary>The patient discovered and linked it (OTP).</summary>
    [JsonStringEnumMemberName("PATIENT")] Patient,

    /// <summary>The HIP linked it with a link token (add-contexts).</summary>
    [JsonStringEnumMemberName("HIP")] Hip,

    /// <summary>
    /// The platform linked it as the HIP of a record its care providers wrote (a teleconsultation's notes, an
    /// e-prescription) at the doctor's facility (<see cref="PlatformCareContextLinking"/>).
    /// </summary>
    [JsonStringEnumMemberName("PLATFORM")] Platform,
}

public sealed record LinkedContext(string ReferenceNumber, string Display, IReadOnlyList<string>? HiTypes, DateTimeOffset LinkedAt, LinkSource Source);

/// <summary>
/// The care contexts linked to one patient's ABHA at one HIP: one document per patient and HIP, replaced with If-Match.
/// A care context is linked at most once; unlinking removes it.
/// </summary>
public sealed record CareContextLinks
{
    public required string AbhaNumber { get; init; }
    public required string AbhaAddress { get; init; }
    public required string HipId { get; init; }
    public required string PartnerId { get; init; }
    public required string PatientReference { get; init; }
    public required string PatientDisplay { get; init; }
    public IReadOnlyList<LinkedContext> CareContexts { get; init; } = [];

    public bool Has(string reference) => CareContexts.Any(c => c.ReferenceNumber == reference);

    public LinkedContext? Find(string reference) => CareContexts.FirstOrDefault(c => c.ReferenceNumber == reference);

    /// <summary>Adds <paramref name="contexts"/>; ABDM-1056 when any is already linked (nothing is added then).</summary>
    public CareContextLinks Add(IEnumerable<CareContext> contexts, LinkSource source, DateTimeOffset now)
    {
        var adding = contexts.ToList();
        if (adding.FirstOrDefault(c => Has(c.ReferenceNumber)) is { } taken)
        {
            throw LinkingErrors.AlreadyLinkedError(taken.ReferenceNumber);
        }

        return this with
        {
            CareContexts = [.. CareContexts, .. adding.Select(c => new LinkedContext(c.ReferenceNumber, c.Display, c.HiTypes, now, source))],
        };
    }

    public CareContextLinks Remove(string reference) =>
        Has(reference)
            ? this with { CareContexts = CareContexts.Where(c => c.ReferenceNumber != reference).ToList() }
            : throw LinkingErrors.Error(Ndhm.Core.Errors.ErrorKind.NotFound, LinkingErrors.LinkNotFound, LinkingErrors.Abdm.InvalidRequest,
                "No such linked care context.", "This care context is not linked at this HIP.");

    public IEnumerable<LinkedCareContext> View() =>
        CareContexts.Select(c => new LinkedCareContext(HipId, PatientReference, c.ReferenceNumber, c.Display, c.HiTypes, c.LinkedAt));
}

/// <summary>A HIP-initiated link token: who it is for, which HIP may use it, until when. Stored by hash only.</summary>
public sealed record LinkToken(string TokenHash, string AbhaNumber, string AbhaAddress, string HipId, string PartnerId,
    DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
