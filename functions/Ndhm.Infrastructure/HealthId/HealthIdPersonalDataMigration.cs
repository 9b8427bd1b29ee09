using Ndhm.Infrastructure.Privacy;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// Encrypts in place the personal fields of accounts and address-claim views written before Health ID encrypted them
/// (<see cref="AbhaPersonalFields.Plans"/>), with the privacy migration runner: If-Match per document, a checkpoint
/// per plan (<c>encrypt-fields:&lt;plan&gt;</c> in <c>operations</c>), so it is safe while the platform serves, resumes
/// after a crash and does nothing once complete.
/// </summary>
public sealed class HealthIdPersonalDataMigration(CosmosFieldEncryptionMigration runner) : IPlaintextFieldMigration
{
    public async Task<IReadOnlyList<RunReport>> RunAsync(CancellationToken ct)
    {
        var reports = new List<RunReport>();
        foreach (var plan in AbhaPersonalFields.Plans)
            reports.Add(await runner.RunAsync(plan, ct).ConfigureAwait(false));
        return reports;
    }
}
