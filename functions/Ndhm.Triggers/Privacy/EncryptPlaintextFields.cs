using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Privacy;

namespace Ndhm.Triggers.Privacy;

/// <summary>
/// Hourly (at :15): runs every registered plaintext-field migration (Health ID accounts and address claims) until each
/// completes. A completed migration costs one checkpoint read per plan; an interrupted one resumes where it stopped.
/// </summary>
public sealed class EncryptPlaintextFields(IEnumerable<IPlaintextFieldMigration> migrations, ILogger<EncryptPlaintextFields> logger)
{
    [Function(nameof(EncryptPlaintextFields))]
    public async Task Run([TimerTrigger("0 15 * * * *")] TimerInfo timer, CancellationToken ct)
    {
        foreach (var migration in migrations)
        {
            foreach (var report in await migration.RunAsync(ct))
            {
                if (report.Changed > 0 || !report.Completed)
                {
                    logger.LogInformation("Plaintext field migration {Name}: {Visited} visited, {Changed} encrypted, completed {Completed}",
                        report.Name, report.Visited, report.Changed, report.Completed);
                }
            }
        }
    }
}
