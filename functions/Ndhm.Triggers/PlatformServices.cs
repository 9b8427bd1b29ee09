using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ndhm.Triggers;

/// <summary>
/// Everything the function classes need, registered once. Both the Azure Functions worker (Program.cs) and
/// the local host call this, so the two run the same object graph.
/// </summary>
public static class PlatformServices
{
    public static IServiceCollection AddNdhmPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
