using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Telemedicine;

namespace Ndhm.Triggers.Telemedicine;

/// <summary>
/// Every minute: reminders of confirmed consultations whose reminder time has come. What is due is read from the
/// store each time, so a host that was down sends the missed ones when it is back, and a cancelled appointment
/// (no longer CONFIRMED) gets none.
/// </summary>
public sealed class SendConsultationReminders(ConsultationService consultations, ILogger<SendConsultationReminders> logger)
{
    [Function(nameof(SendConsultationReminders))]
    public async Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var sent = await consultations.SendDueRemindersAsync(ct);
        if (sent > 0) logger.LogInformation("Teleconsultation reminders sent: {Sent}", sent);
    }
}
