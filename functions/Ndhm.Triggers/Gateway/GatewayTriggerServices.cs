using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Infrastructure.Gateway;

namespace Ndhm.Triggers.Gateway;

public static class GatewayTriggerServices
{
    /// <summary>Partners, sessions, callbacks and partner events (adapters) plus the inbound gateway verifier.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNdhmGateway(configuration);
        services.TryAddSingleton<GatewayRequestVerifier>();
        return services;
    }
}
