using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Telemedicine;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// Every five minutes: confirmed consultations the doctor has not started <c>Telemedicine__NoShowSweepGraceMinutes</c>
/// after their start become the doctor's no-show, refunded in full. What is due is read from the store each time, so a
/// host that was down marks the missed ones when it is back; a pass repeated after a crash changes nothing twice.
/// </summary>
public sealed class SweepTeleconsultationNoShows(ConsultationService consultations, ILogger<SweepTeleconsultationNoShows> logger)
{
    [Function(nameof(SweepTeleconsultationNoShows))]
    public async Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var marked = await consultations.SweepNoShowsAsync(ct);
        if (marked > 0) logger.LogInformation("Teleconsultations marked as the doctor's no-show: {Marked}", marked);
    }
}
