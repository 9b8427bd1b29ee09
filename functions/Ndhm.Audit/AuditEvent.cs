namespace Ndhm.Audit;

/// <summary>
/// Who acted: the token's subject and roles, the partner (client id) a partner session acts for, the facility it
/// acted as (X-HIP-ID), and the request id the action arrived with (from where).
/// </summary>
public sealed record AuditActor(string Subject, IReadOnlyList<string> Roles, string? Partner = null, string? Facility = null,
    string? RequestId = null)
{
    /// <summary>The platform itself (timers, background work).</summary>
    public static AuditActor System(string name) => new("system:" + name, []);
}

/// <summary>What was touched: a resource type (<c>abha-profile</c>, <c>facility</c>, <c>consent</c>...) and its id.</summary>
public sealed record AuditResource(string Type, string Id);

/// <summary>
/// One audited operation, as a capability reports it. <see cref="Action"/> is a dotted verb
/// (<c>profile.read</c>, <c>facility.verify</c>, <c>login</c>); <see cref="Purpose"/> and <see cref="ConsentId"/>
/// say why (the consent artefact under which data was shared, when there is one).
/// </summary>
public sealed record AuditEvent(
    string Chain,
    AuditActor Actor,
    string Action,
    AuditResource Resource,
    string? Purpose = null,
    string? ConsentId = null,
    string? Outcome = null);
