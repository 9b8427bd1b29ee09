using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>
/// Against the emulator (key authentication) the app creates its own database and containers at start-up, as
/// the Bicep does in Azure. It keeps trying in the background while the emulator is down, so a host started
/// before its emulator still comes up and reports Cosmos as unhealthy until then.
/// </summary>
public sealed class CosmosSandboxInitialization(
    CosmosClient client, CosmosSettings settings, ILogger<CosmosSandboxInitialization> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await new CosmosDatabaseInitializer(client, settings.Database).InitializeAsync(stoppingToken);
                logger.LogInformation("Cosmos database {Database} and containers are ready", settings.Database);
                // Partners a sandbox registered before the per-facility index existed get their index entries (idempotent).
                var indexed = await new Gateway.CosmosPartnerStore(client, settings, new Gateway.FacilityPartnerIndex(client, settings))
                    .ReindexFacilitiesAsync(stoppingToken);
                logger.LogInformation("Facility partner index checked for {Partners} partners", indexed);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Cosmos emulator not ready ({Reason}); retrying in {Delay}", e.GetType().Name, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
