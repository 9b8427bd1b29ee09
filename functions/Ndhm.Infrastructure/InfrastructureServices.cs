using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Health;
using Ndhm.Infrastructure.Keys;
using Ndhm.Infrastructure.Storage;

namespace Ndhm.Infrastructure;

public static class InfrastructureServices
{
    /// <summary>Adapters for storage, Cosmos and keys, and a probe for each.</summary>
    public static IServiceCollection AddNdhmInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new StorageClients(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyProbe, StorageProbe>());
        services.AddNdhmKeys(configuration);
        return services;
    }
}
