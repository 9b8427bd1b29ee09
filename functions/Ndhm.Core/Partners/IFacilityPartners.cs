namespace Ndhm.Core.Partners;

/// <summary>
/// Which partners speak for a facility: a point read of the facility's partner index, kept when partners register
/// or change, never a scan of all partners (the platform has many more than any list could return).
/// </summary>
public interface IFacilityPartners
{
    /// <summary>The active partners with <paramref name="role"/> serving <paramref name="facilityId"/>, ordered by client id.</summary>
    Task<IReadOnlyList<PartnerEndpoint>> ServingAsync(string facilityId, string role, CancellationToken ct);
}
