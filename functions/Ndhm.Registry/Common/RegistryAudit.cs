using Ndhm.Audit;
using Ndhm.Core.Security;

namespace Ndhm.Registry.Common;

/// <summary>
/// Records the registry's administrative changes (verification, deactivation, reactivation) on the entry's audit
/// chain (<c>facility:{id}</c>, <c>professional:{id}</c>). The entry is written before the change is stored, so a
/// change is never stored unaudited: when the audit write fails, the change is not made. An entry whose change then
/// lost an ETag race (412) records an authorised attempt that had no effect.
/// </summary>
public sealed class RegistryAudit(IAuditTrail trail, ICurrentAuditActor actor)
{
    /// <param name="adminSubject">Who, when there is no HTTP caller to take it from (in-process callers).</param>
    public Task RecordAdminChangeAsync(string chain, string action, string resourceType, string id, string? adminSubject, CancellationToken ct) =>
        trail.RecordAsync(new AuditEvent(chain, actor.Current ?? Fallback(adminSubject), action, new AuditResource(resourceType, id)), ct);

    private static AuditActor Fallback(string? adminSubject) =>
        adminSubject is null ? AuditActor.System("registry") : new AuditActor(adminSubject, [Roles.PlatformAdmin]);
}
