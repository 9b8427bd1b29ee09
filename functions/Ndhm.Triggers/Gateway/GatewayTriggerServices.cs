using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Triggers.Abdm;

namespace Ndhm.Triggers.Gateway;

public static class GatewayTriggerServices
{
    /// <summary>Partners, sessions, callbacks and partner events (adapters) plus the inbound gateway verifier and the ABDM v0.5 protocol.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddNdhmGateway(configuration);
        services.TryAddSingleton<GatewayRequestVerifier>();
        services.AddAbdmProtocol(configuration);
        return services;
    }
}
