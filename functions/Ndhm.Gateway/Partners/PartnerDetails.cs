namespace Ndhm.Gateway.Partners;

/// <summary>
/// A partner's details as a platform admin sent them, not yet validated (null: not given; on a change, unchanged).
/// <see cref="PartnerService"/> validates them with <see cref="PartnerRules"/>.
/// </summary>
public sealed record PartnerDetails(string? Name, IReadOnlyList<string>? Roles, string? BridgeUrl, IReadOnlyList<string>? Facilities);
