using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Audit;

namespace Ndhm.Infrastructure.Audit;

public static class AuditServices
{
    /// <summary>
    /// The audit trail as a platform capability: <see cref="IAuditTrail"/> for every capability that audits, the
    /// head signing run, the queries, and the Cosmos store behind them.
    /// </summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<CosmosAuditStore>();
        services.TryAddSingleton<IAuditEntryStore>(sp => sp.GetRequiredService<CosmosAuditStore>());
        services.TryAddSingleton<IAuditSignatureStore>(sp => sp.GetRequiredService<CosmosAuditStore>());
        services.TryAddSingleton<IAuditHeadSigner, AuditJws>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditTrail>());
        services.TryAddSingleton<AuditHeadSigning>();
        services.TryAddSingleton<AuditQueries>();
        // Hosts with HTTP callers register theirs first (Ndhm.Triggers: HttpAuditActor).
        services.TryAddSingleton<ICurrentAuditActor, NoCurrentAuditActor>();
        return services;
    }
}

/// <summary>No ambient caller (background hosts, tools): services name the actor themselves.</summary>
public sealed class NoCurrentAuditActor : ICurrentAuditActor
{
    public AuditActor? Current => null;
}
