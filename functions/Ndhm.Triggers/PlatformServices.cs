using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Configuration;
using Ndhm.Core.Health;
using Ndhm.Core.Partners;
using Ndhm.Infrastructure;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Hosting;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Triggers;

/// <summary>
/// Everything the function classes need, registered once. Both the Azure Functions worker (Program.cs) and
/// the local host call this, so the two run the same object graph.
/// </summary>
public static class PlatformServices
{
    public static IServiceCollection AddNdhmPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<HttpLimits>(limits =>
        {
            if (long.TryParse(configuration.GetSetting(SettingNames.MaxRequestBodyBytes), out var max) && max > 0)
            {
                limits.MaxRequestBodyBytes = max;
            }
        });
        // Results written through MVC (OkObjectResult...) follow the platform's one JSON convention.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o =>
        {
            var platform = Ndhm.Core.Json.NdhmJson.Options;
            o.JsonSerializerOptions.DefaultIgnoreCondition = platform.DefaultIgnoreCondition;
            o.JsonSerializerOptions.PropertyNamingPolicy = platform.PropertyNamingPolicy;
            foreach (var converter in platform.Converters)
            {
                o.JsonSerializerOptions.Converters.Add(converter);
            }
        });
        services.AddSingleton(_ => new PublicUrls(configuration.GetSetting(SettingNames.PublicBaseUrl)));
        services.AddSingleton<HttpFunctionGate>();
        services.AddSingleton<RateLimitGate>();
        services.AddSingleton(new RateLimitClientIp(configuration.GetSetting(SettingNames.RateLimitsClientIpHeader)));
        services.AddSingleton<IRequestAuthenticator, BearerTokenAuthenticator>();
        services.AddSingleton<IPartnerSessionCheck, PartnerSessionCheck>();
        services.AddSingleton<HealthCheck>();
        services.AddSingleton(new Sandbox.SandboxEnvironment(string.Equals(configuration.GetSetting(SettingNames.Environment),
            Sandbox.SandboxEnvironment.Name, StringComparison.OrdinalIgnoreCase)));
        services.TryAddSingleton<Ndhm.Audit.ICurrentAuditActor, Audit.HttpAuditActor>();
        services.AddNdhmInfrastructure(configuration);
        services.AddHealthIdHttp();
        services.AddGateway(configuration);
        services.TryAddSingleton<Telemedicine.PartnerUhiSteps>(); // a partner app's asynchronous UHI steps for a patient
        Ndhm.Infrastructure.Linking.LinkingServices.AddLinking(services, configuration);
        services.AddFhirValidation(); // singleton validator, warmed up by a hosted service at start-up

        return services;
    }
}
