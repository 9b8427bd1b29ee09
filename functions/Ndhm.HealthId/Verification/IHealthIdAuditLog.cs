namespace Ndhm.HealthId.Verification;

/// <summary>Port: the Health ID audit trail (who looked up which ABHA, with what outcome).</summary>
public interface IHealthIdAuditLog
{
    Task RecordAsync(string action, string actor, IEnumerable<string> roles, string subject, string outcome, string? requestId,
        CancellationToken ct);
}
