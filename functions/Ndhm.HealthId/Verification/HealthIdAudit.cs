using Ndhm.Audit;
using Ndhm.Core.Security;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Verification;

/// <summary>
/// Health ID's events on the audit trail (<see cref="IAuditTrail"/>): a partner's lookup of an ABHA and the patient's
/// own logins and account changes go to the patient's chain (<c>patient:{ABHA number}</c>), so they show in the
/// patient's trail with the partner named. A lookup that matched no ABHA (a miss, an invalid number) has no patient:
/// it goes to the caller's partner chain. The entry is written before the operation's result is returned or its
/// change stored; when the write fails the operation fails.
/// </summary>
public sealed class HealthIdAudit(IAuditTrail trail, ICurrentAuditActor current) : IHealthIdAuditLog
{
    public const string ResourceType = "abha-account";

    public async Task RecordAsync(string action, string actor, IEnumerable<string> roles, string subject, string outcome, string? requestId,
        CancellationToken ct)
    {
        // The HTTP caller carries the partner (client id) and facility; in-process callers give subject and roles only.
        var who = current.Current ?? new AuditActor(actor, roles.Order(StringComparer.Ordinal).ToList(), RequestId: requestId);
        var chain = AbhaNumber.TryParse(subject, out var number)
            ? AuditChainKey.Patient(number.Digits)
            : AuditChainKey.IsValid("partner:" + (who.Partner ?? who.Subject)) ? "partner:" + (who.Partner ?? who.Subject) : AuditChainKey.Platform;
        await trail.RecordAsync(new AuditEvent(chain, who, action, new AuditResource(ResourceType, subject), Outcome: outcome), ct)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// An event on the patient's account caused by someone not yet authenticated (a login OTP requested for it): the
    /// actor is <see cref="AnonymousActor"/> with the request id, never the identifier the request named.
    /// </summary>
    public Task RecordAnonymousAsync(AbhaNumber number, string action, string? outcome, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(number);
        var who = new AuditActor(AnonymousActor, [], RequestId: current.Current?.RequestId);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(number.Digits), who, action,
            new AuditResource(ResourceType, number.Digits), Outcome: outcome), ct);
    }

    public const string AnonymousActor = "anonymous";

    /// <summary>
    /// An event on the patient's own account (login, profile read or change, card, mobile change, deactivation,
    /// deletion). The actor is the HTTP caller when there is one, else the patient (a login proves the patient before
    /// any token exists).
    /// </summary>
    public Task RecordPatientAsync(AbhaNumber number, string action, string? outcome, CancellationToken ct) =>
        RecordPatientAsync(number, action, new AuditResource(ResourceType, number.Digits), outcome, null, ct);

    /// <summary>An event on the patient's chain about <paramref name="resource"/> (their nominee, say), with why (<paramref name="purpose"/>).</summary>
    public Task RecordPatientAsync(AbhaNumber number, string action, AuditResource resource, string? outcome, string? purpose, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(number);
        var caller = current.Current;
        var who = caller is { Subject.Length: > 0 } ? caller : new AuditActor(number.Digits, [Roles.Patient], RequestId: caller?.RequestId);
        return trail.RecordAsync(new AuditEvent(AuditChainKey.Patient(number.Digits), who, action, resource, Purpose: purpose, Outcome: outcome), ct);
    }
}
