using Ndhm.Consent;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.PatientPulls;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.DataTransfer;

/// <summary>
/// The close of a HIU's transfer as an SMS to the patient's verified mobile (the patient notification port; the
/// sandbox's SMS outbox), with a deep link to the consent so an unexpected transfer is one tap from being revoked.
/// A patient without a verified mobile sees it only in the app's access log.
/// </summary>
public sealed class SmsTransferPatientNotifier(IPullPatients patients, IPatientNotifier sms) : ITransferPatientNotifier
{
    public async Task TellClosedAsync(string patientNumber, TransferClosedNotice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (await patients.FindAsync(patientNumber, ct) is not { Mobile: { } mobile }) return;
        await sms.SendSmsAsync(mobile, Text(notice), "ndhm://phr/consents/" + notice.ConsentRequestId, ct);
    }

    public static string Text(TransferClosedNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var from = string.Join(", ", notice.HipIds);
        var what = notice.Delivered == 0
            ? $"No health records from {from} reached {notice.HiuId}"
            : $"{notice.HiuId} received {notice.Delivered} of {notice.CareContexts} of your health record(s) from {from}";
        return $"{what} under your consent for {PurposeName(notice.PurposeCode)}. Not expected? Review or revoke it in your health locker.";
    }

    private static string PurposeName(string code) => code switch
    {
        ConsentCodes.CareManagement => "your care",
        ConsentCodes.BreakTheGlass => "emergency care",
        ConsentCodes.PublicHealth => "public health",
        ConsentCodes.HealthcarePayment => "a health payment or claim",
        ConsentCodes.DiseaseResearch => "research",
        _ => code,
    };
}
