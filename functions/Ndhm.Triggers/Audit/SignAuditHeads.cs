using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Audit;

namespace Ndhm.Triggers.Audit;

/// <summary>On the <c>Audit__SigningSchedule</c> schedule: signs the chain heads that moved and the day's digest of all heads.</summary>
public sealed class SignAuditHeads(AuditHeadSigning signing, ILogger<SignAuditHeads> logger)
{
    [Function(nameof(SignAuditHeads))]
    public async Task Run([TimerTrigger("%Audit__SigningSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var run = await signing.SignAsync(ct);
        logger.LogInformation("Signed {Signed} of {Chains} audit chain heads and the digest of {Day}", run.HeadsSigned, run.Chains, run.DigestDay);
        if (run.Refused.Count > 0)
        {
            // A chain that no longer verifies since its last signature: someone changed stored entries.
            logger.LogError("Audit chains not signed because they fail verification: {Chains}", string.Join(", ", run.Refused));
        }
    }
}
